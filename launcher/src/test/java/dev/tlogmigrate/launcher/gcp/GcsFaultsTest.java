package dev.tlogmigrate.launcher.gcp;

import dev.tlogmigrate.launcher.bucket.BucketFaultsContract;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Migrations into and out of GCS that meet faults and other writers ({@link BucketFaultsContract}),
 * against fake-gcs-server: every seventh request faulty, as the client's retries (reads, and writes
 * with a precondition, which are all the writes a migration makes to a bucket) back off for longer
 * than the S3 SDK's.
 */
class GcsFaultsTest extends BucketFaultsContract {
  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(SOURCE_BUCKET, DEST_BUCKET);

  GcsFaultsTest() {
    super(GCS, 1500, 7); // 6 bundles: about a hundred requests
  }
}
