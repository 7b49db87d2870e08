package dev.tlogmigrate.launcher;

import dev.tlogmigrate.transforms.testing.GoPrograms;
import dev.tlogmigrate.transforms.testing.TestProcesses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tessera v1.0.4 on AWS as a test peer: its {@code cmd/conformance/aws} server, built from our Go
 * module in {@code src/test/go/tessera} (a {@code tool} there), on a MariaDB database of {@link
 * MariaDbServer} and a bucket of an S3-compatible server on loopback, signing with {@link
 * TestLogs#SIGNER}'s key.
 *
 * <p>The server asks the EC2 instance metadata service (a link-local address) where it runs, for
 * its telemetry: the environment here turns that client off, so that it sends nothing beyond
 * loopback.
 */
final class TesseraAws {
  static final String CONFORMANCE = "github.com/transparency-dev/tessera/cmd/conformance/aws";

  /** Keeps the AWS SDK's instance metadata client from leaving loopback. */
  static final Map<String, String> LOOPBACK_ONLY =
      Map.of(
          "AWS_EC2_METADATA_DISABLED", "true",
          "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1");

  static final String S3_ACCESS_KEY = "test-access-key";
  static final String S3_SECRET = "test-secret";

  private TesseraAws() {}

  static Path binary() {
    return GoPrograms.build(Tessera.MODULE, CONFORMANCE, "tessera-conformance-aws");
  }

  /**
   * Tessera's own {@code initDB}: the server started on {@code database} with no S3 to reach
   * creates its tables and initial rows, then exits, failing to read the bucket's checkpoint.
   */
  static void initDb(MariaDbServer mysql, String database) throws Exception {
    int noS3 = TestProcesses.freeLoopbackPort();
    String output =
        runToExit(
            command(
                mysql,
                database,
                "http://127.0.0.1:" + noS3,
                "no-bucket",
                TestProcesses.freeLoopbackPort()));
    if (!output.contains("failed to read checkpoint")) {
      throw new AssertionError("Tessera's AWS server did not get past its initDB:\n" + output);
    }
  }

  /** The server's command line: its log in {@code bucket}, its state in {@code database}. */
  static List<String> command(
      MariaDbServer mysql, String database, String s3Endpoint, String bucket, int listenPort) {
    return new ArrayList<>(
        List.of(
            binary().toString(),
            "--bucket=" + bucket,
            "--db_name=" + database,
            "--db_host=127.0.0.1",
            "--db_port=" + mysql.port(),
            "--db_user=" + MariaDbServer.USER,
            "--db_password=" + MariaDbServer.PASSWORD,
            "--s3_endpoint=" + s3Endpoint,
            "--s3_access_key=" + S3_ACCESS_KEY,
            "--s3_secret=" + S3_SECRET,
            "--signer=" + LogGenerator.TEST_SIGNER_KEY,
            "--listen=127.0.0.1:" + listenPort));
  }

  private static String runToExit(List<String> command) throws Exception {
    Path log = Files.createTempFile("tessera-aws", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(LOOPBACK_ONLY);
      Process p = pb.start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("Tessera's AWS server did not exit in 2 minutes: " + command);
      }
      return Files.readString(log, StandardCharsets.UTF_8);
    } finally {
      Files.delete(log);
    }
  }
}
