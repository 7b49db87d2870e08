package dev.tlogmigrate.launcher;

import com.google.cloud.storage.contrib.nio.testing.GenerationalFakeStorageRpc;
import dev.tlogmigrate.transforms.storage.GcsClients;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Google's in-memory GCS fake (with generations and preconditions) standing in for the named
 * buckets during each test: the DoFns the DirectRunner runs in this JVM get it through GcsClients.
 */
final class FakeGcsBuckets implements BeforeEachCallback, AfterEachCallback {
  private final GenerationalFakeStorageRpc fake = new GenerationalFakeStorageRpc();
  private final List<String> buckets;
  private final List<GcsClients.Registration> registrations = new ArrayList<>();

  FakeGcsBuckets(String... buckets) {
    this.buckets = List.of(buckets);
  }

  GenerationalFakeStorageRpc fake() {
    return fake;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    buckets.forEach(b -> registrations.add(GcsClients.overrideForBucket(b, fake::storage)));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    registrations.forEach(GcsClients.Registration::close);
    registrations.clear();
  }
}
