package dev.tlogmigrate.launcher.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.bucket.BucketMigrationContract;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.transforms.testing.S3Server;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whole migrations into, out of and between S3 buckets through the command line on the
 * DirectRunner, against s3proxy on loopback ({@link S3Server}), which checks every request's AWS
 * signature: the command line reaches it with {@code --s3Endpoint} (path-style) and finds the
 * credentials in the SDK's default chain. The contract of every bucket store ({@link
 * BucketMigrationContract}), and what goes with S3's credentials.
 */
class S3MigrationTest extends BucketMigrationContract {
  @RegisterExtension static final S3Server S3 = new S3Server(SOURCE_BUCKET, DEST_BUCKET);

  S3MigrationTest() {
    super(S3, "text/plain;charset=utf-8"); // s3proxy's Jetty drops the space S3 would keep
  }

  @Test
  void wrongCredentialsAreOneLineNamingTheObjectWithoutTheSecret() throws IOException {
    upload(TestLogs.generate(tmp.resolve("source"), 10));
    String secret = System.getProperty("aws.secretAccessKey");
    Cli.Result r;
    try {
      System.setProperty("aws.secretAccessKey", "not-the-secret");
      r = migrate(source, tmp.resolve("mirror").toString());
    } finally {
      System.setProperty("aws.secretAccessKey", secret);
    }

    assertEquals(1, r.status(), r.all());
    assertTrue(
        r.err().contains("S3 read " + source + "/checkpoint: HTTP 403 SignatureDoesNotMatch"),
        r.err());
    assertFalse(r.all().contains("not-the-secret"), r.all());
  }

  @Test
  void aLocalDirectoryIsRefusedForRemoteWorkersButAnS3BucketIsNot() {
    Cli.Result r = migrate(source, tmp.resolve("mirror").toString(), "--runner=DataflowRunner");
    assertEquals(1, r.status(), r.all());
    assertTrue(r.err().contains("give a gs:// or s3:// location"), r.err());
  }
}
