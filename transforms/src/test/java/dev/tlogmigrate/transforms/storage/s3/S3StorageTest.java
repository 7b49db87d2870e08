package dev.tlogmigrate.transforms.storage.s3;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.bucket.BucketStorageContract;
import dev.tlogmigrate.transforms.testing.S3Server;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S3Storage against the real S3 REST API of s3proxy on loopback ({@link S3Server}), through the
 * SDK's HTTP path (PUTs with If-None-Match and If-Match, 412s as the server sends them, retries):
 * the contract of every bucket store ({@link BucketStorageContract}), and S3's own words when it
 * fails. Signatures are checked by S3MigrationTest (the proxy rewrites Host, so this server takes
 * unsigned requests).
 */
class S3StorageTest extends BucketStorageContract {
  private static final String BUCKET = "s3-storage-test";

  @RegisterExtension static final S3Server S3 = S3Server.withoutAuthorization(BUCKET);

  S3StorageTest() {
    super(S3, BUCKET, "ETag", "text/plain;charset=utf-8"); // s3proxy drops S3's space
  }

  @Override
  protected List<String> refusedBucketNames() {
    return List.of("ab", "under_score", "a..b", "a".repeat(64));
  }

  @Override
  protected String unusualBucketName() {
    return "my.bucket1";
  }

  @Override
  protected LogLocation locationAt(String endpoint) {
    return LogLocation.of(location()).withS3(S3Server.connection(endpoint));
  }

  @Override
  protected Object sharedClient(LogLocation location) {
    return location.s3().client();
  }

  @Test
  void anEndpointMustBeAnHttpUrl() {
    assertThrows(
        IllegalArgumentException.class, () -> S3Connection.of("127.0.0.1:9000", null, null));
  }

  @Test
  void aStoreThatKeepsFailingIsOneLineNamingTheObject() throws IOException {
    proxy.answerFirst(r -> true, 403);
    IOException e = assertThrows(IOException.class, () -> storage.read("checkpoint", 100));
    assertTrue(
        e.getMessage().startsWith("S3 read s3://" + BUCKET + "/logs/one/checkpoint: HTTP 403"),
        e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());

    try (LogStorage nowhere = locationAt("http://127.0.0.1:1").open()) {
      IOException down =
          assertThrows(IOException.class, () -> nowhere.replace("checkpoint", null, new byte[1]));
      assertTrue(
          down.getMessage()
              .equals("S3 write s3://" + BUCKET + "/logs/one/checkpoint: connection refused"),
          down.getMessage());
    }
  }
}
