package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --runner=DataflowRunner} through the real command line, offline: with {@code
 * --templateLocation} (what a Flex Template launch sets) the Dataflow runner translates the
 * pipeline into a job specification, writes it to that file and returns without submitting; the
 * launcher must then return too, without waiting for a job that this process never sees. Staging,
 * path validation and credentials are stood in for ({@link OfflineStager}, Beam's NoopPathValidator
 * and NoopCredentialFactory); nothing leaves the machine: the source is served over loopback HTTP
 * and the destination bucket is on fake-gcs-server ({@link FakeGcsServer}), as remote workers need
 * locations they can reach.
 *
 * <p>Left untested offline: the job's submission (projects.locations.jobs.create), staging to GCS,
 * and the workers' run.
 */
class DataflowTemplateLaunchTest {
  private static final String BUCKET = "tlog-dataflow-test";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(BUCKET);

  @TempDir Path tmp;

  /**
   * The command line of an offline Dataflow launch from source to destination, job file and staged
   * files as given.
   */
  private static List<String> dataflowArgs(
      String source, String destination, Path jobFile, Path staged) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source=" + source,
                "--destination=" + destination,
                "--sourceVerifierKey=" + TestLogs.VKEY,
                "--runner=DataflowRunner",
                "--project=tlog-migrate-test",
                "--region=europe-west1",
                "--tempLocation=gs://" + BUCKET + "/tmp",
                // Set explicitly: derived from tempLocation, it would query the bucket's
                // soft-delete policy.
                "--gcpTempLocation=gs://" + BUCKET + "/tmp",
                "--templateLocation=" + jobFile,
                "--jobName=tlog-migrate-offline",
                "--maxNumWorkers=20",
                "--filesToStage=" + staged,
                "--stagerClass=" + OfflineStager.class.getName(),
                "--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator"));
    args.addAll(GCS.flags()); // with NoopCredentialFactory
    return args;
  }

  @Test
  void translatesTheMigrationIntoADataflowJobWithoutSubmittingOrWaiting() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 70_000);
    Path jobFile = tmp.resolve("job.json");
    String destination = "gs://" + BUCKET + "/mirror";

    Cli.Result r;
    String url;
    try (StaticLogServer server = new StaticLogServer(source)) {
      url = server.url();
      r =
          Cli.run(
              dataflowArgs(url, destination, jobFile, source.resolve("checkpoint"))
                  .toArray(String[]::new));
    }

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("copying 70000 entries"), r.out());
    assertTrue(r.out().contains("Dataflow job specification written"), r.out());
    assertTrue(
        GCS.objects(BUCKET, "mirror/").isEmpty(), "planning must not write to the destination");

    JsonNode job = JSON.readTree(Files.readAllBytes(jobFile));
    assertEquals("tlog-migrate-offline", job.get("name").asText());
    JsonNode options = job.get("environment").get("sdkPipelineOptions").get("options");
    assertEquals(url, options.get("source").asText());
    assertEquals(destination, options.get("destination").asText());
    assertEquals(20, options.get("maxNumWorkers").asInt());

    // The staged Runner API pipeline holds every stage of the migration: the expansion, the bundle
    // fetch, one stage per tile level (70000 entries: levels 1 and 2) and the commit.
    RunnerApi.Pipeline pipeline =
        RunnerApi.Pipeline.parseFrom(OfflineStager.STAGED_BYTES.get("pipeline.pb"));
    String transforms =
        pipeline.getComponents().getTransformsMap().values().stream()
            .map(RunnerApi.PTransform::getUniqueName)
            .sorted()
            .collect(Collectors.joining("\n"));
    for (String stage :
        new String[] {
          "MigrateLog/MigrateBundles",
          "MigrateLog/BuildTileLevel1",
          "MigrateLog/BuildTileLevel2",
          "MigrateLog/VerifyRootAndCommit"
        }) {
      assertTrue(transforms.contains(stage), stage + " missing from:\n" + transforms);
    }
  }

  @Test
  void aLocalDirectoryWithARemoteRunnerIsRefusedBeforeAnythingIsSubmitted() throws Exception {
    Path log = TestLogs.generate(tmp.resolve("log"), 300);
    Path jobFile = tmp.resolve("job.json");
    Path mirror = tmp.resolve("mirror");

    try (StaticLogServer server = new StaticLogServer(log)) {
      Cli.Result toDirectory =
          Cli.run(
              dataflowArgs(server.url(), mirror.toString(), jobFile, log.resolve("checkpoint"))
                  .toArray(String[]::new));
      assertEquals(1, toDirectory.status(), toDirectory.all());
      assertEquals(
          "tlog-migrate: error: --destination "
              + mirror
              + " is a local directory, which the DataflowRunner's workers "
              + "do not share: give a gs:// or s3:// location, or run with the DirectRunner\n",
          toDirectory.err());
    }
    Cli.Result fromDirectory =
        Cli.run(
            dataflowArgs(
                    log.toString(),
                    "gs://" + BUCKET + "/mirror",
                    jobFile,
                    log.resolve("checkpoint"))
                .toArray(String[]::new));
    assertEquals(1, fromDirectory.status(), fromDirectory.all());
    assertTrue(
        fromDirectory.err().contains("--source " + log + " is a local directory"),
        fromDirectory.err());

    assertTrue(Files.notExists(jobFile), "a job was specified");
    assertTrue(Files.notExists(mirror), "the launcher's directory was planned or locked");
    assertTrue(GCS.objects(BUCKET, "").isEmpty());
  }
}
