package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.bucket.BucketMigrationContract;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whole migrations into (and out of) GCS through the command line on the DirectRunner, against the
 * GCS JSON API of fake-gcs-server on loopback ({@link FakeGcsServer}), reached with {@code
 * --gcsEndpoint}: the contract of every bucket store ({@link BucketMigrationContract}), and the
 * credentials of an impersonated service account on every request.
 */
class GcsMigrationTest extends BucketMigrationContract {
  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(SOURCE_BUCKET, DEST_BUCKET);

  GcsMigrationTest() {
    super(GCS, "text/plain; charset=utf-8");
  }

  @Test
  void everyRequestCarriesTheCredentialsOfTheImpersonatedServiceAccount() throws IOException {
    Path log = TestLogs.generate(tmp.resolve("source"), 300);
    upload(log);
    String account = "migrator@tlog-project.iam.gserviceaccount.com";

    Cli.Result r;
    List<String> authorizations;
    try (GcsFaultProxy proxy = new GcsFaultProxy(GCS.endpoint())) {
      r =
          Cli.migrate(
              source,
              destination,
              TestLogs.VKEY,
              "--gcsEndpoint=" + proxy.endpoint(),
              "--credentialFactoryClass=" + TokenCredentialFactory.class.getName(),
              "--impersonateServiceAccount=" + account);
      authorizations = proxy.authorizations();
    }

    assertEquals(0, r.status(), r.all());
    assertTrue(authorizations.size() > 10, authorizations.toString());
    assertEquals(
        List.of("Bearer " + TokenCredentialFactory.tokenFor(account)),
        authorizations.stream().distinct().toList());
    assertMirrorEquals(log, 300);
  }
}
