package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.Main;
import dev.tlogmigrate.launcher.testing.TestLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where there are no Google Cloud credentials, a run with a gs:// location fails at start, naming
 * the location and what was looked for, instead of sending anonymous requests. The launcher runs in
 * a JVM of its own, with an environment that has none: no GOOGLE_APPLICATION_CREDENTIALS, a home
 * and a gcloud configuration without a key, and Google's auth library told not to look for a
 * metadata server (NO_GCE_CHECK, and its address on a closed loopback port), so that nothing but
 * loopback is ever asked.
 */
class MissingGcpCredentialsTest {
  @TempDir Path tmp;

  private record Run(int status, String err) {}

  private Run launch(String... extra) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--source=gs://no-credentials-here/log",
                "--destination=" + tmp.resolve("destination"),
                "--sourceVerifierKey=" + TestLogs.VKEY,
                "--gcsEndpoint=http://127.0.0.1:1",
                "--progressIntervalSeconds=0"));
    command.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.remove("GOOGLE_APPLICATION_CREDENTIALS");
    env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
    env.put("CLOUDSDK_CONFIG", Files.createDirectories(tmp.resolve("gcloud")).toString());
    env.put("NO_GCE_CHECK", "true");
    env.put("GCE_METADATA_HOST", "127.0.0.1:1");
    env.put("GCE_METADATA_IP", "127.0.0.1:1");
    Path err = tmp.resolve("err");
    pb.redirectError(err.toFile()).redirectOutput(tmp.resolve("out").toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not end");
    return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void noCredentialsFailAtStartSayingWhatWasLookedFor() throws Exception {
    Run r = launch();

    assertEquals(1, r.status(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(
        r.err()
            .startsWith(
                "tlog-migrate: error: gs://no-credentials-here/log/: no Google Cloud credentials:"
                    + " looked for Application Default Credentials (the key file that"
                    + " GOOGLE_APPLICATION_CREDENTIALS names, gcloud's"
                    + " application_default_credentials.json"),
        r.err());
    assertTrue(
        r.err().contains("--credentialFactoryClass=" + NoopCredentialFactory.class.getName()),
        r.err());

    Run impersonating = launch("--impersonateServiceAccount=mirror@p.iam.gserviceaccount.com");
    assertEquals(1, impersonating.status(), impersonating.err());
    assertTrue(
        impersonating.err().contains("(to impersonate mirror@p.iam.gserviceaccount.com)"),
        impersonating.err());
  }
}
