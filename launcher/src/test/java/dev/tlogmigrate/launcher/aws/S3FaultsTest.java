package dev.tlogmigrate.launcher.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.Main;
import dev.tlogmigrate.launcher.bucket.BucketFaultsContract;
import dev.tlogmigrate.launcher.testing.BucketLogs;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy;
import dev.tlogmigrate.transforms.testing.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Migrations into and out of S3 that go wrong on the way, against s3proxy on loopback ({@link
 * S3Server}): the faults and other writers of every bucket store ({@link BucketFaultsContract}), a
 * fault every third request (503 SlowDown, 429, a response lost, a download cut short); a mirror
 * kept in sync that fetches only the new bundles; a run killed mid-copy that the next run finishes.
 * The proxy breaks request signatures (it sends requests on with its own Host header), so this
 * server takes unsigned requests; S3MigrationTest checks them.
 */
class S3FaultsTest extends BucketFaultsContract {
  @RegisterExtension
  static final S3Server S3 = S3Server.withoutAuthorization(SOURCE_BUCKET, DEST_BUCKET);

  S3FaultsTest() {
    super(S3, 3000, 3); // 12 bundles: over a hundred requests
  }

  @Test
  void aMirrorKeptInSyncFetchesOnlyTheNewBundles() throws IOException {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    BucketLogs.upload(S3, source, SOURCE_BUCKET, "log/");
    String from = "s3://" + SOURCE_BUCKET + "/log";
    String to = "s3://" + DEST_BUCKET + "/log";
    assertEquals(0, BucketLogs.migrateVia(S3, S3.endpoint(), from, to).status());
    TestLogs.generate(source, 1300);
    BucketLogs.upload(S3, source, SOURCE_BUCKET, "log/");

    Set<String> fetched = new TreeSet<>();
    try (GcsFaultProxy proxy = new GcsFaultProxy(S3.endpoint())) {
      Cli.Result r = BucketLogs.migrateVia(S3, proxy.endpoint(), from, to);
      assertEquals(0, r.status(), r.all());
      String bundles = "GET /" + SOURCE_BUCKET + "/log/tile/entries/";
      proxy.requestLines().stream()
          .filter(l -> l.startsWith(bundles))
          .forEach(l -> fetched.add(l.substring(bundles.length()).replaceAll("\\?.*", "")));
    }

    // 300 entries: bundle 000 and 001.p/44 copied; 1300: 001 to 004 and 005.p/20 are new.
    assertEquals(Set.of("001", "002", "003", "004", "005.p/20"), fetched);
    BucketLogs.assertHolds(S3, DEST_BUCKET, "log/", source, 1300);
  }

  @Test
  void aRunKilledMidCopyLeavesTheCommittedStateAndTheSameCommandFinishes() throws Exception {
    long before = 1000;
    long after = 12_000;
    Path source = TestLogs.generate(tmp.resolve("source"), before);
    String destination = "s3://" + DEST_BUCKET + "/log";
    assertEquals(
        0, BucketLogs.migrateVia(S3, S3.endpoint(), source.toString(), destination).status());
    byte[] previous = S3.stored(DEST_BUCKET, "log/.state/treeState");
    TestLogs.generate(source, after);

    long started = System.nanoTime();
    Process p = start(source, destination, tmp.resolve("killed.log"));
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (bundlesIn(DEST_BUCKET, "log/") < 20 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(
        p.isAlive(),
        "the run ended before it was killed: " + Files.readString(tmp.resolve("killed.log")));
    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
    p.waitFor();
    assertArrayEquals(
        previous,
        S3.stored(DEST_BUCKET, "log/.state/treeState"),
        "killed mid-copy: the committed tree state must stand");
    assertEquals(before, TreeState.parse("treeState", previous).size());

    Path log = tmp.resolve("rerun.log");
    Process rerun = start(source, destination, log);
    assertEquals(0, rerun.waitFor(), Files.readString(log));
    System.out.printf(
        "S3FaultsTest: killed and finished in %d ms: %s%n",
        (System.nanoTime() - started) / 1_000_000, Files.readString(log));
    BucketLogs.assertHolds(S3, DEST_BUCKET, "log/", source, after);
  }

  private static long bundlesIn(String bucket, String prefix) {
    return S3
        .client()
        .listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + "tile/entries/"))
        .contents()
        .stream()
        .count();
  }

  /** The command line in a new JVM, credentials in its environment (the default chain's first). */
  private static Process start(Path source, String destination, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Daws.disableEc2Metadata=true",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--source=" + source,
                "--destination=" + destination,
                "--sourceVerifierKey=" + TestLogs.VKEY,
                "--progressIntervalSeconds=0"));
    command.addAll(S3.flags());
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
    b.environment().put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
    b.environment().put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
    return b.redirectOutput(log.toFile()).start();
  }
}
