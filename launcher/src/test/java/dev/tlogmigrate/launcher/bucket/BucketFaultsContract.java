package dev.tlogmigrate.launcher.bucket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.BucketLogs;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.testing.BucketServer;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations into and out of buckets of one store that meet faults and other writers on the way,
 * with a {@link GcsFaultProxy} between the command line and a server of the store's API on loopback
 * ({@link BucketServer}): requests answered 503 or 429, forwarded with their response lost, or (a
 * download) cut short, which the client retries, and another job that commits or publishes at the
 * worst moment. Each run still ends exact, and nothing committed is moved back. A store's test
 * extends this and adds what is its own.
 */
public abstract class BucketFaultsContract {
  protected static final String SOURCE_BUCKET = "faulty-source";
  protected static final String DEST_BUCKET = "faulty-mirror";

  protected final BucketServer server;
  private final long faultySize;
  private final int failEvery;
  private final String source;
  private final String destination;

  @TempDir protected Path tmp;

  /**
   * @param server has the buckets {@link #SOURCE_BUCKET} and {@link #DEST_BUCKET}, and takes
   *     requests whose signature the proxy broke
   * @param faultySize the log size of the run through faults: enough requests to meet every fault
   * @param failEvery how often the proxy injects a fault: as often as the client's retries allow
   */
  protected BucketFaultsContract(BucketServer server, long faultySize, int failEvery) {
    this.server = server;
    this.faultySize = faultySize;
    this.failEvery = failEvery;
    this.source = server.scheme() + SOURCE_BUCKET + "/log";
    this.destination = server.scheme() + DEST_BUCKET + "/log";
  }

  private Cli.Result migrateVia(String endpoint, String from, String to) {
    return BucketLogs.migrateVia(server, endpoint, from, to);
  }

  private boolean writes(GcsFaultProxy.Request request, String path) {
    return server.writes(request, DEST_BUCKET, "log/" + path);
  }

  @Test
  void aMigrationIntoAndOutOfTheBucketThroughFaultsEndsExact() throws IOException {
    Path log = TestLogs.generate(tmp.resolve("source"), faultySize);
    BucketLogs.upload(server, log, SOURCE_BUCKET, "log/");
    Path mirror = tmp.resolve("mirror");

    try (GcsFaultProxy proxy = new GcsFaultProxy(server.endpoint())) {
      proxy.failEvery(failEvery);
      Cli.Result into = migrateVia(proxy.endpoint(), source, destination);
      long afterFirst = proxy.injected();
      Cli.Result outOf = migrateVia(proxy.endpoint(), destination, mirror.toString());

      assertEquals(0, into.status(), into.all());
      assertEquals(0, outOf.status(), outOf.all());
      Map<Fault, Long> injected = new EnumMap<>(Fault.class);
      for (Fault f : Fault.values()) {
        injected.put(f, proxy.injected(f));
      }
      System.out.printf(
          "%s: %d requests, %d retried after an injected fault (%d into the bucket): %s%n",
          getClass().getSimpleName(), proxy.requests(), proxy.injected(), afterFirst, injected);
      assertTrue(
          afterFirst > 5 && proxy.injected() > afterFirst,
          "too few faults to show anything: " + proxy.injected());
      injected.forEach((f, n) -> assertTrue(n > 0, f + " never injected"));
    }
    BucketLogs.assertHolds(server, DEST_BUCKET, "log/", log, faultySize);
    Map<String, byte[]> want = Cli.files(log);
    Map<String, byte[]> inDirectory = Cli.files(mirror);
    inDirectory.remove(".state/migrate.lock");
    assertEquals(want.keySet(), inDirectory.keySet());
    want.forEach((name, bytes) -> assertArrayEquals(bytes, inDirectory.get(name), name));
  }

  @Test
  void aRunWhoseTreeStateAnotherJobAdvancedCommitsNothing() throws IOException {
    Path log = TestLogs.generate(tmp.resolve("source"), 300);
    BucketLogs.upload(server, log, SOURCE_BUCKET, "log/");
    assertEquals(0, migrateVia(server.endpoint(), source, destination).status());
    byte[] checkpoint = server.stored(DEST_BUCKET, "log/checkpoint");
    TestLogs.generate(log, 1000);
    BucketLogs.upload(server, log, SOURCE_BUCKET, "log/");
    byte[] other = new TreeState(600, new byte[32]).toJson();
    // Another job commits after this run planned (from size 300) and just before it commits.
    Cli.Result r;
    try (GcsFaultProxy proxy = new GcsFaultProxy(server.endpoint())) {
      proxy.beforeFirst(
          q -> writes(q, ".state/treeState"),
          () -> server.put(DEST_BUCKET, "log/.state/treeState", other));
      r = migrateVia(proxy.endpoint(), source, destination);
    }

    assertEquals(1, r.status(), r.all());
    assertTrue(r.err().contains(".state/treeState") && r.err().contains("nothing"), r.err());
    Map<String, byte[]> objects = server.objects(DEST_BUCKET, "log/");
    assertArrayEquals(other, objects.get(".state/treeState"), "the other job's commit stands");
    assertArrayEquals(checkpoint, objects.get("checkpoint"), "no checkpoint without a commit");
  }

  @Test
  void aLateCheckpointFromAnOlderJobDoesNotMoveThePublishedOneBack() throws IOException {
    Path older = TestLogs.generate(tmp.resolve("older"), 300);
    Path newer = TestLogs.generate(tmp.resolve("newer"), 600); // the same log, further on
    BucketLogs.upload(server, older, SOURCE_BUCKET, "older/");
    BucketLogs.upload(server, newer, SOURCE_BUCKET, "newer/");
    String olderSource = server.scheme() + SOURCE_BUCKET + "/older";
    String newerSource = server.scheme() + SOURCE_BUCKET + "/newer";

    // The older job has committed its tree state (300); a newer job runs to the end (600) before
    // the older one writes its checkpoint.
    Cli.Result late;
    Cli.Result[] newerRun = new Cli.Result[1];
    try (GcsFaultProxy proxy = new GcsFaultProxy(server.endpoint())) {
      proxy.beforeFirst(
          q -> writes(q, "checkpoint"),
          () -> newerRun[0] = migrateVia(server.endpoint(), newerSource, destination));
      late = migrateVia(proxy.endpoint(), olderSource, destination);
    }

    assertEquals(0, newerRun[0].status(), newerRun[0].all());
    assertEquals(0, late.status(), late.all());
    Map<String, byte[]> got = server.objects(DEST_BUCKET, "log/");
    Cli.files(newer)
        .forEach(
            (name, bytes) ->
                assertArrayEquals(bytes, got.get(name), name + " differs")); // checkpoint included
  }

  /**
   * With --replaceUncommitted, a leftover of a failed run is replaced only while no run has
   * committed beyond this one's start: another job commits (size 700) just as this run meets its
   * first leftover, and the run stops there, replacing nothing under that job's tree state.
   */
  @Test
  void noLeftoverIsReplacedOnceAnotherJobHasCommittedBeyondTheRunsStart() throws IOException {
    Path honest = TestLogs.generate(tmp.resolve("honest"), 600);
    Path hostile = tmp.resolve("hostile"); // another fork under the honest checkpoint
    new LogGenerator(hostile, TestLogs.SIGNER, 8, 0, 64).generate(600);
    Files.copy(
        honest.resolve("checkpoint"),
        hostile.resolve("checkpoint"),
        StandardCopyOption.REPLACE_EXISTING);
    assertEquals(1, migrateVia(server.endpoint(), hostile.toString(), destination).status());
    byte[] leftover = server.stored(DEST_BUCKET, "log/tile/entries/000");
    byte[] beyond = new TreeState(700, new byte[32]).toJson();

    Cli.Result r;
    try (GcsFaultProxy proxy = new GcsFaultProxy(server.endpoint())) {
      proxy.beforeFirst(
          q -> writes(q, "tile/entries/000"),
          () -> server.put(DEST_BUCKET, "log/.state/treeState", beyond));
      r =
          BucketLogs.migrateVia(
              server, proxy.endpoint(), honest.toString(), destination, "--replaceUncommitted");
    }

    assertEquals(1, r.status(), r.all());
    assertTrue(
        r.err().contains(": not replaced: ") // this leftover, or another met at the same time
            && r.err().contains(".state/treeState is at size 700, beyond the 0 this run started"),
        r.err());
    assertArrayEquals(beyond, server.stored(DEST_BUCKET, "log/.state/treeState"));
    assertArrayEquals(leftover, server.stored(DEST_BUCKET, "log/tile/entries/000"));
  }
}
