package dev.tlogmigrate.launcher.bucket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.BucketLogs;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.StaticCtTestLog;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.testing.BucketServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole migrations into, out of and between buckets of one store through the command line on the
 * DirectRunner, against a server of the store's API on loopback ({@link BucketServer}), which the
 * command line reaches with the store's endpoint flag as it would reach any endpoint. A copy is
 * compared byte for byte with the generator's files, with the metadata Tessera's drivers give each
 * object, and its tree state holds the checkpoint's size and root. A store's test extends this and
 * adds what is its own (credentials).
 */
public abstract class BucketMigrationContract {
  protected static final String SOURCE_BUCKET = "tlog-source";
  protected static final String DEST_BUCKET = "tlog-mirror";
  private static final String SOURCE_PREFIX = "logs/example/";
  private static final String DEST_PREFIX = "mirrors/example/";

  private final BucketServer server;
  private final String checkpointContentType;
  protected final String source;
  protected final String destination;

  @TempDir protected Path tmp;

  /**
   * @param server has the buckets {@link #SOURCE_BUCKET} and {@link #DEST_BUCKET}
   * @param checkpointContentType the checkpoint's content type as the server gives it back
   */
  protected BucketMigrationContract(BucketServer server, String checkpointContentType) {
    this.server = server;
    this.checkpointContentType = checkpointContentType;
    this.source = server.scheme() + SOURCE_BUCKET + "/logs/example";
    this.destination = server.scheme() + DEST_BUCKET + "/mirrors/example";
  }

  protected final Cli.Result migrate(String from, String to, String... extra) {
    return BucketLogs.migrateVia(server, server.endpoint(), from, to, extra);
  }

  /** Uploads a log to the source bucket. */
  protected final void upload(Path log) {
    BucketLogs.upload(server, log, SOURCE_BUCKET, SOURCE_PREFIX);
  }

  private Map<String, byte[]> mirrored() {
    return server.objects(DEST_BUCKET, DEST_PREFIX);
  }

  /**
   * The destination holds exactly the log's files, byte for byte, as Tessera's bucket drivers would
   * store them.
   */
  protected final void assertMirrorEquals(Path log, long size) {
    BucketLogs.assertHolds(server, DEST_BUCKET, DEST_PREFIX, log, size);
    for (String name : mirrored().keySet()) {
      BucketServer.Metadata meta = server.objectMetadata(DEST_BUCKET, DEST_PREFIX + name);
      String cache = name.startsWith("tile/") ? "max-age=604800,immutable" : "no-cache";
      String type = name.equals("checkpoint") ? checkpointContentType : "application/octet-stream";
      assertEquals(cache, meta.cacheControl(), name);
      assertEquals(type, meta.contentType(), name);
    }
  }

  private void assertNoDirectoryNamedAfterTheScheme() {
    Path lookalike = Path.of(server.scheme().substring(0, server.scheme().indexOf('/')));
    assertTrue(Files.notExists(lookalike), "a bucket location was taken for a local path");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 65536 + 256 + 1})
  void fromHttpIntoTheBucket(long size) throws IOException {
    Path log = TestLogs.generate(tmp.resolve("source"), size);

    try (StaticLogServer http = new StaticLogServer(log)) {
      Cli.Result r = migrate(http.url(), destination);
      assertEquals(0, r.status(), r.all());
      assertTrue(r.out().contains("destination " + destination + "/: committed size 0"), r.out());
    }
    assertMirrorEquals(log, size);
    assertNoDirectoryNamedAfterTheScheme();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 257, 65536 + 256 + 1})
  void fromBucketToBucket(long size) throws IOException {
    Path log = TestLogs.generate(tmp.resolve("source"), size);
    upload(log);

    Cli.Result r = migrate(source, destination);

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("destination " + destination + "/: committed size 0"), r.out());
    assertTrue(r.out().contains("committed tree size " + size), r.out());
    assertMirrorEquals(log, size);
    assertNoDirectoryNamedAfterTheScheme();
  }

  @Test
  void aCopyInTheBucketCopiedOnToADirectoryAndAuditedInPlace() throws IOException {
    Path log = TestLogs.generate(tmp.resolve("source"), 1000);
    upload(log);
    assertEquals(0, migrate(source, destination).status());

    Path mirror = tmp.resolve("mirror");
    Cli.Result out = migrate(destination, mirror.toString());
    assertEquals(0, out.status(), out.all());
    TreeAssertions.assertSameFiles(log, mirror);

    List<String> verify =
        new ArrayList<>(
            List.of(
                "verify",
                "--source=" + destination,
                "--sourceVerifierKey=" + TestLogs.VKEY,
                "--progressIntervalSeconds=0"));
    verify.addAll(server.flags(server.endpoint()));
    Cli.Result audit = Cli.run(verify.toArray(String[]::new));
    assertEquals(0, audit.status(), audit.all());
  }

  @Test
  void aMirrorKeptInSyncCopiesOnlyWhatIsNew() throws IOException {
    Path log = TestLogs.generate(tmp.resolve("source"), 300);
    upload(log);
    assertEquals(0, migrate(source, destination).status());

    TestLogs.generate(log, 65536 + 300); // the log grew; entries are a function of their index
    upload(log);
    Cli.Result r = migrate(source, destination);

    assertEquals(0, r.status(), r.all());
    assertTrue(
        r.out().contains("committed size 300; copying 65536 entries in 257 bundles"), r.out());
    assertMirrorEquals(log, 65536 + 300);

    Cli.Result again = migrate(source, destination);
    assertEquals(0, again.status(), again.all());
    assertTrue(again.out().contains("nothing to do"), again.out());
  }

  @Test
  void aDestinationAheadOfTheSourceIsRefusedAndLeftAlone() throws IOException {
    Path big = TestLogs.generate(tmp.resolve("big"), 600);
    try (StaticLogServer http = new StaticLogServer(big)) {
      assertEquals(0, migrate(http.url(), destination).status());
    }
    byte[] state = mirrored().get(".state/treeState");
    upload(TestLogs.generate(tmp.resolve("small"), 500));

    Cli.Result r = migrate(source, destination);

    assertEquals(1, r.status());
    assertTrue(r.err().contains("ahead of the source checkpoint's 500"), r.err());
    assertArrayEquals(state, mirrored().get(".state/treeState"));
  }

  @Test
  void staticCtIntoTheBucketWithGzipDataTilesAndItsIssuers() throws IOException {
    Path log = tmp.resolve("static-ct");
    new LogGenerator(log, StaticCtTestLog.LOG_KEY, LogFormat.STATIC_CT, 5, 200, 1500)
        .generate(StaticCtTestLog.SIZE);
    upload(log); // data tiles stored gzip-encoded

    Cli.Result r =
        migrate(
            source,
            destination,
            "--format=static-ct",
            "--sourcePublicKey=" + StaticCtTestLog.PUBLIC_KEY);

    assertEquals(0, r.status(), r.all());
    Map<String, byte[]> want = Cli.files(log);
    Map<String, byte[]> got = mirrored();
    assertEquals(want.keySet(), got.keySet(), "object set differs");
    want.forEach((name, bytes) -> assertArrayEquals(bytes, got.get(name), name + " differs"));
    String issuer =
        got.keySet().stream().filter(n -> n.startsWith("issuer/")).findFirst().orElseThrow();
    assertEquals(
        "application/pkix-cert",
        server.objectMetadata(DEST_BUCKET, DEST_PREFIX + issuer).contentType());
  }

  /**
   * A log of 600 entries, and a source that serves its signed checkpoint over another fork's
   * entries (the same origin, key and size): a run from it fails at the root, having written every
   * tile of the other fork above the committed size (none). The honest run is then refused at the
   * first object it finds holding other bytes, saying how to get past it.
   */
  private Path blockedByAHostileRun() throws IOException {
    Path honest = TestLogs.generate(tmp.resolve("honest"), 600);
    Path hostile = tmp.resolve("hostile");
    new LogGenerator(hostile, TestLogs.SIGNER, 8, 0, 64).generate(600);
    Files.copy(
        honest.resolve("checkpoint"),
        hostile.resolve("checkpoint"),
        StandardCopyOption.REPLACE_EXISTING);

    Cli.Result failed = migrate(hostile.toString(), destination);
    assertEquals(1, failed.status(), failed.all());
    assertTrue(failed.err().contains("root mismatch at tree size 600"), failed.err());
    assertTrue(mirrored().containsKey("tile/entries/000"), "the failed run left its tiles");
    assertFalse(mirrored().containsKey(".state/treeState"));

    Cli.Result blocked = migrate(honest.toString(), destination);
    assertEquals(1, blocked.status(), blocked.all());
    assertTrue(
        blocked.err().contains("already holds other bytes")
            && blocked
                .err()
                .contains(
                    "; once no other job writes "
                        + destination
                        + "/, run again with --replaceUncommitted"),
        blocked.err());
    assertFalse(mirrored().containsKey(".state/treeState"));
    return honest;
  }

  @Test
  void aBucketBlockedByAHostileRunIsFinishedByAnHonestRunThatIsAlone() throws IOException {
    Path honest = blockedByAHostileRun();

    Cli.Result finished = migrate(honest.toString(), destination, "--replaceUncommitted");

    assertEquals(0, finished.status(), finished.all());
    assertTrue(
        finished.out().contains("objects that a failed run had left above the committed size"),
        finished.out());
    assertMirrorEquals(honest, 600); // every object the hostile run left replaced, byte for byte
  }
}
