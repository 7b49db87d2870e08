package dev.tlogmigrate.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.contrib.nio.testing.GenerationalFakeStorageRpc;
import dev.tlogmigrate.transforms.storage.GcsClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --runner=DataflowRunner} through the real command line, offline: with
 * {@code --templateLocation} (what a Flex Template launch sets) the Dataflow runner translates the
 * pipeline into a job specification, writes it to that file and returns without submitting; the
 * launcher must then return too, without waiting for a job that this process never sees. Staging,
 * path validation and credentials are stood in for ({@link OfflineStager}, Beam's
 * NoopPathValidator and NoopCredentialFactory); nothing goes over the network.
 *
 * <p>Left untested offline: the job's submission (projects.locations.jobs.create), staging to GCS,
 * and the workers' run.
 */
class DataflowTemplateLaunchTest {
  private static final String BUCKET = "tlog-dataflow-test";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void translatesTheMigrationIntoADataflowJobWithoutSubmittingOrWaiting() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 70_000);
    Path jobFile = tmp.resolve("job.json");
    GenerationalFakeStorageRpc gcs = new GenerationalFakeStorageRpc();
    String destination = "gs://" + BUCKET + "/mirror";

    Cli.Result r;
    try (GcsClients.Registration reg = GcsClients.overrideForBucket(BUCKET, gcs::storage)) {
      List<String> args = new ArrayList<>(List.of(
          "--source=" + source,
          "--destination=" + destination,
          "--sourceVerifierKey=" + TestLogs.VKEY,
          "--runner=DataflowRunner",
          "--project=tlog-migrate-test",
          "--region=europe-west1",
          "--tempLocation=gs://" + BUCKET + "/tmp",
          // Set explicitly: derived from tempLocation, it would query the bucket's soft-delete policy.
          "--gcpTempLocation=gs://" + BUCKET + "/tmp",
          "--templateLocation=" + jobFile,
          "--jobName=tlog-migrate-offline",
          "--maxNumWorkers=20",
          "--filesToStage=" + source.resolve("checkpoint"),
          "--stagerClass=" + OfflineStager.class.getName(),
          "--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator",
          "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory"));
      r = Cli.run(args.toArray(String[]::new));
    }

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("copying 70000 entries"), r.out());
    assertTrue(r.out().contains("Dataflow job specification written"), r.out());
    assertTrue(gcs.objects(BUCKET, "mirror/").isEmpty(), "planning must not write to the destination");

    JsonNode job = JSON.readTree(Files.readAllBytes(jobFile));
    assertEquals("tlog-migrate-offline", job.get("name").asText());
    JsonNode options = job.get("environment").get("sdkPipelineOptions").get("options");
    assertEquals(source.toString(), options.get("source").asText());
    assertEquals(destination, options.get("destination").asText());
    assertEquals(20, options.get("maxNumWorkers").asInt());

    // The staged Runner API pipeline holds every stage of the migration: the expansion, the bundle
    // fetch, one stage per tile level (70000 entries: levels 1 and 2) and the commit.
    RunnerApi.Pipeline pipeline = RunnerApi.Pipeline.parseFrom(OfflineStager.STAGED_BYTES.get("pipeline.pb"));
    String transforms = pipeline.getComponents().getTransformsMap().values().stream()
        .map(RunnerApi.PTransform::getUniqueName).sorted().collect(Collectors.joining("\n"));
    for (String stage : new String[] {"MigrateLog/MigrateBundles", "MigrateLog/BuildTileLevel1", "MigrateLog/BuildTileLevel2",
        "MigrateLog/VerifyRootAndCommit"}) {
      assertTrue(transforms.contains(stage), stage + " missing from:\n" + transforms);
    }
  }
}
