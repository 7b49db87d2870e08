package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy.Fault;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations into and out of GCS with a {@link GcsFaultProxy} between the client and
 * fake-gcs-server: every seventh request answered 503 or 429, forwarded with its response lost, or
 * (a download) cut short. The client retries (reads, and writes with a precondition, which are all
 * the writes a migration makes to a bucket); each run still ends exact.
 */
class GcsFaultsTest {
  private static final String SOURCE_BUCKET = "faulty-source";
  private static final String DEST_BUCKET = "faulty-mirror";

  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(SOURCE_BUCKET, DEST_BUCKET);

  @TempDir Path tmp;

  @Test
  void aMigrationIntoAndOutOfGcsThroughFaultsEndsExact() throws IOException {
    long size = 1500; // 6 bundles: about a hundred requests
    Path source = TestLogs.generate(tmp.resolve("source"), size);
    GcsMigrationTest.upload(GCS, source, SOURCE_BUCKET, "log/");
    Path mirror = tmp.resolve("mirror");

    try (GcsFaultProxy proxy = new GcsFaultProxy(GCS.endpoint())) {
      proxy.failEvery(7);
      Cli.Result intoGcs =
          GcsMigrationTest.migrateVia(
              proxy.endpoint(), "gs://" + SOURCE_BUCKET + "/log", "gs://" + DEST_BUCKET + "/log");
      long afterFirst = proxy.injected();
      Cli.Result outOfGcs =
          GcsMigrationTest.migrateVia(
              proxy.endpoint(), "gs://" + DEST_BUCKET + "/log", mirror.toString());

      assertEquals(0, intoGcs.status(), intoGcs.all());
      assertEquals(0, outOfGcs.status(), outOfGcs.all());
      System.out.printf(
          "GcsFaultsTest: %d requests, %d retried after an injected fault (%d into GCS): %s%n",
          proxy.requests(),
          proxy.injected(),
          afterFirst,
          Map.of(
              Fault.UNAVAILABLE,
              proxy.injected(Fault.UNAVAILABLE),
              Fault.TOO_MANY_REQUESTS,
              proxy.injected(Fault.TOO_MANY_REQUESTS),
              Fault.RESPONSE_LOST,
              proxy.injected(Fault.RESPONSE_LOST),
              Fault.CUT_SHORT,
              proxy.injected(Fault.CUT_SHORT)));
      assertTrue(
          afterFirst > 5 && proxy.injected() > afterFirst,
          "too few faults to show anything: " + proxy.injected());
      for (Fault f : Fault.values()) {
        assertTrue(proxy.injected(f) > 0, f + " never injected");
      }
    }
    Map<String, byte[]> want = Cli.files(source);
    Map<String, byte[]> inBucket = GCS.objects(DEST_BUCKET, "log/");
    assertEquals(want.keySet(), inBucket.keySet());
    want.forEach((name, bytes) -> assertArrayEquals(bytes, inBucket.get(name), name));
    Map<String, byte[]> inDirectory = Cli.files(mirror);
    inDirectory.remove(".state/migrate.lock");
    assertEquals(want.keySet(), inDirectory.keySet());
    want.forEach((name, bytes) -> assertArrayEquals(bytes, inDirectory.get(name), name));
  }
}
