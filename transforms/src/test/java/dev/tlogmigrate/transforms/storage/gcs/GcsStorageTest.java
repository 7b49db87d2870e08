package dev.tlogmigrate.transforms.storage.gcs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.bucket.BucketStorageContract;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GcsStorage against the real GCS JSON API of fake-gcs-server on loopback ({@link FakeGcsServer}),
 * through the client's HTTP path (uploads, 412s as the service sends them, retries): the contract
 * of every bucket store ({@link BucketStorageContract}), and what only generations can show.
 */
class GcsStorageTest extends BucketStorageContract {
  private static final String BUCKET = "gcs-storage-test";

  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(BUCKET);

  GcsStorageTest() {
    super(GCS, BUCKET, "generation", "text/plain; charset=utf-8");
  }

  @Override
  protected List<String> refusedBucketNames() {
    return List.of("a");
  }

  @Override
  protected String unusualBucketName() {
    return "my.bucket_1";
  }

  @Override
  protected LogLocation locationAt(String endpoint) {
    return LogLocation.of(location()).withGcs(new GcsConnection(endpoint, FakeGcsServer.NO_AUTH));
  }

  @Override
  protected Object sharedClient(LogLocation location) {
    return location.gcs().client();
  }

  @Test
  void rewritingTheSameTileLeavesTheObjectAlone() throws IOException {
    storage.write("tile/1/000", new byte[8192]);
    Object generation = version("tile/1/000");

    storage.write("tile/1/000", new byte[8192]);

    assertEquals(
        generation, version("tile/1/000"), "an identical object must not be written again");
  }
}
