package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import com.google.cloud.storage.BlobId;
import dev.tlogmigrate.launcher.testing.BucketLogs;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.SignedNote;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations into Tessera on Google Cloud through the real command line: the bucket on
 * fake-gcs-server ({@link FakeGcsServer}), the Spanner database a fresh one on the real Cloud
 * Spanner emulator, both reached through the command line's flags. Afterwards the bucket holds the
 * source byte for byte and Spanner holds the rows a Tessera GCP appender continues from:
 * Tessera(0,1), SeqCoord(0,N), IntCoord(0,N,root), and PubCoord and GCCoord as Tessera creates them
 * (or as they were).
 */
class TesseraSpannerMigrationTest {
  @RegisterExtension static final SpannerEmulator SPANNER = new SpannerEmulator();

  private static final String SOURCE_BUCKET = "tlog-source";
  private static final String DEST_BUCKET = "tessera-log";
  private static final String SOURCE = "gs://" + SOURCE_BUCKET + "/logs/example";

  /** The bucket's root: where Tessera's GCP example server serves a log from. */
  private static final String DESTINATION = "gs://" + DEST_BUCKET;

  private static final Timestamp PUBLISHED = Timestamp.parseTimestamp("2025-06-01T12:00:00Z");

  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(SOURCE_BUCKET, DEST_BUCKET);

  @TempDir Path tmp;

  private static Cli.Result migrate(String database, String... extra) {
    return migrateVia(GCS.endpoint(), database, extra);
  }

  private static Cli.Result migrateVia(String gcsEndpoint, String database, String... extra) {
    List<String> args = new ArrayList<>(Arrays.asList(extra));
    if (database != null) {
      args.add(0, "--tesseraSpannerDatabase=" + database);
      args.add(0, "--spannerEmulatorHost=" + SPANNER.host());
    }
    return BucketLogs.migrateVia(
        GCS, gcsEndpoint, SOURCE, DESTINATION, args.toArray(String[]::new));
  }

  private void uploadSource(Path dir) {
    upload(dir, SOURCE_BUCKET, "logs/example/", true);
  }

  /** A log in the destination bucket as Tessera's GCP storage leaves it: no .state/ objects. */
  private void uploadAsTessera(Path dir) {
    upload(dir, DEST_BUCKET, "", false);
  }

  private void upload(Path dir, String bucket, String prefix, boolean withState) {
    Cli.files(dir)
        .forEach(
            (name, bytes) -> {
              if (withState || !name.startsWith(".state/")) {
                GCS.put(bucket, prefix + name, bytes);
              }
            });
  }

  private Map<String, byte[]> destination() {
    return GCS.objects(DEST_BUCKET, "");
  }

  private void assertDestinationEquals(Path source) {
    Map<String, byte[]> want = Cli.files(source);
    Map<String, byte[]> got = destination();
    assertEquals(want.keySet(), got.keySet(), "object set differs");
    want.forEach((name, bytes) -> assertArrayEquals(bytes, got.get(name), name + " differs"));
  }

  private static String rootOf(Path log) throws IOException {
    byte[] note = Files.readAllBytes(log.resolve("checkpoint"));
    return Checkpoint.parse("checkpoint", SignedNote.parse("checkpoint", note).text()).rootBase64();
  }

  private static byte[] rootBytesOf(Path log) throws IOException {
    return java.util.Base64.getDecoder().decode(rootOf(log));
  }

  private static List<String> rows(String database, String prefix) {
    return new TesseraRows(SPANNER.client(database), prefix).dump();
  }

  private static List<String> takenOver(long size, String root, String pubCoord, String gcCoord) {
    return List.of(
        "Tessera(0,1)",
        "SeqCoord(0," + size + ")",
        TesseraRows.intCoord(size, root),
        pubCoord,
        gcCoord);
  }

  private static final String FRESH_PUB = "PubCoord(0,1970-01-01T00:00:00Z,0)";
  private static final String FRESH_GC = "GCCoord(0,0)";

  @Test
  void aFreshDatabaseGetsTesserasTablesAndTheVerifiedTree() throws Exception {
    long size = 65536 + 256 + 1; // two tile levels, partial tiles on both, a partial bundle
    Path source = TestLogs.generate(tmp.resolve("source"), size);
    uploadSource(source);
    String db = SPANNER.newDatabase();

    Cli.Result r = migrate(db);

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("committed size 0; copying " + size + " entries"), r.out());
    assertTrue(r.out().contains("Tessera database " + db + ": IntCoord at size " + size), r.out());
    assertDestinationEquals(source);
    assertEquals(takenOver(size, rootOf(source), FRESH_PUB, FRESH_GC), rows(db, ""));

    Cli.Result again = migrate(db);
    assertEquals(0, again.status(), again.all());
    assertTrue(again.out().contains("nothing to do"), again.out());
    assertEquals(takenOver(size, rootOf(source), FRESH_PUB, FRESH_GC), rows(db, ""));
  }

  @Test
  void anExistingTesseraLogAtASmallerSizeIsExtendedFromItsIntCoord() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    uploadAsTessera(source); // Tessera's bucket: tiles, bundles, its checkpoint; no .state/
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl("Log7_"));
    new TesseraRows(SPANNER.client(db), "Log7_")
        .set(1, 300, 300, rootBytesOf(source), PUBLISHED, 300, 256);
    TestLogs.generate(source, 1000); // the old log went on to 1000 entries
    uploadSource(source);

    Cli.Result r = migrate(db, "--tesseraSpannerTablePrefix=Log7_");

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("committed size 300; copying 700 entries"), r.out());
    assertDestinationEquals(source);
    assertEquals(
        takenOver(1000, rootOf(source), "PubCoord(0,2025-06-01T12:00:00Z,300)", "GCCoord(0,256)"),
        rows(db, "Log7_"));
  }

  @Test
  void whatTesserasOwnMigrationToolLeavesIsCompletedWithoutCopying() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 1000);
    uploadSource(source);
    uploadAsTessera(source);
    GCS.client().delete(BlobId.of(DEST_BUCKET, "checkpoint")); // Tessera's migration writes none
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    // IntCoord at the source's size, SeqCoord.next still 0: an appender would hand out 0, 1, 2, ...
    new TesseraRows(SPANNER.client(db), "")
        .set(1, 0, 1000, rootBytesOf(source), Timestamp.ofTimeSecondsAndNanos(0, 0), 0, 0);

    Cli.Result r = migrate(db);

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("already at size 1000"), r.out());
    assertEquals(takenOver(1000, rootOf(source), FRESH_PUB, FRESH_GC), rows(db, ""));
    assertDestinationEquals(source); // .state/version, .state/treeState and the checkpoint added
  }

  @Test
  void aDatabaseAheadOfTheSourceIsRefusedAndNothingIsTouched() throws Exception {
    Path big = TestLogs.generate(tmp.resolve("big"), 1200);
    uploadAsTessera(big);
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    new TesseraRows(SPANNER.client(db), "")
        .set(1, 1200, 1200, rootBytesOf(big), PUBLISHED, 1200, 768);
    uploadSource(TestLogs.generate(tmp.resolve("small"), 1000));
    List<String> before = rows(db, "");
    Map<String, byte[]> bucket = destination();

    Cli.Result r = migrate(db);

    assertEquals(1, r.status(), r.all());
    assertTrue(
        r.err().contains("IntCoord is at size 1200, ahead of the source checkpoint's 1000"),
        r.err());
    assertEquals(before, rows(db, ""));
    assertSameObjects(bucket, destination());
  }

  @Test
  void anIntCoordRootTheBucketsTilesDoNotHaveIsRefusedAndNothingIsTouched() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    uploadAsTessera(source);
    Path other = tmp.resolve("other");
    new LogGenerator(other, TestLogs.SIGNER, 8, 0, 64)
        .generate(300); // another log of the same size
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    new TesseraRows(SPANNER.client(db), "")
        .set(1, 300, 300, rootBytesOf(other), PUBLISHED, 300, 256);
    TestLogs.generate(source, 1000);
    uploadSource(source);
    List<String> before = rows(db, "");
    Map<String, byte[]> bucket = destination();

    Cli.Result r = migrate(db);

    assertEquals(1, r.status(), r.all());
    assertTrue(r.err().contains("IntCoord is at size 300 with root " + rootOf(other)), r.err());
    assertTrue(r.err().contains("the destination's tiles hash to"), r.err());
    assertEquals(before, rows(db, ""));
    assertSameObjects(bucket, destination());
  }

  @Test
  void anotherRootAtTheSourcesSizeIsASplitViewAndRefused() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 1000);
    uploadSource(source);
    Path other = tmp.resolve("other");
    new LogGenerator(other, TestLogs.SIGNER, 8, 0, 64).generate(1000);
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    new TesseraRows(SPANNER.client(db), "")
        .set(1, 1000, 1000, rootBytesOf(other), PUBLISHED, 1000, 768);
    List<String> before = rows(db, "");

    Cli.Result r = migrate(db);

    assertEquals(1, r.status(), r.all());
    assertTrue(r.err().contains("split view at size 1000"), r.err());
    assertEquals(before, rows(db, ""));
    assertTrue(destination().isEmpty(), destination().keySet().toString());
  }

  @Test
  void aForkTheBucketAgreesWithFailsVerificationAndSpannerIsUntouched() throws Exception {
    Path other = tmp.resolve("other");
    new LogGenerator(other, TestLogs.SIGNER, 8, 0, 64).generate(300);
    uploadAsTessera(other); // a different log under the same origin, and Spanner agrees with it
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    new TesseraRows(SPANNER.client(db), "")
        .set(1, 300, 300, rootBytesOf(other), PUBLISHED, 300, 256);
    uploadSource(TestLogs.generate(tmp.resolve("source"), 1000));
    List<String> before = rows(db, "");

    Cli.Result r = migrate(db);

    assertEquals(1, r.status(), r.all());
    assertTrue(
        r.err().contains("entries 256..299 differ from those the destination already committed"),
        r.err());
    assertEquals(before, rows(db, ""));
  }

  @Test
  void aRunThatDiesAfterItsSpannerCommitIsFinishedByTheNextRun() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 1000);
    uploadSource(source);
    String db = SPANNER.newDatabase();
    Cli.Result crashed;
    try (GcsFaultProxy proxy = new GcsFaultProxy(GCS.endpoint())) {
      proxy.answerFirst(
          q -> q.uploads(".state/treeState"), 400); // the worker dies after the Spanner commit
      crashed = migrateVia(proxy.endpoint(), db);
    }

    assertEquals(1, crashed.status(), crashed.all());
    assertEquals(
        takenOver(1000, rootOf(source), FRESH_PUB, FRESH_GC),
        rows(db, ""),
        "Spanner committed first");
    assertFalse(destination().containsKey(".state/treeState"));
    assertFalse(destination().containsKey("checkpoint"));

    Cli.Result r = migrate(db);

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("already at size 1000"), r.out());
    assertDestinationEquals(source);
    assertEquals(takenOver(1000, rootOf(source), FRESH_PUB, FRESH_GC), rows(db, ""));
  }

  @Test
  void aBucketMirroredFurtherWithoutSpannerIsHandedOverFromItsOwnTreeState() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    uploadSource(source);
    String db = SPANNER.newDatabase();
    assertEquals(0, migrate(db).status());
    String root300 = rootOf(source);
    TestLogs.generate(source, 600);
    uploadSource(source);
    assertEquals(0, migrate(null).status()); // a plain GCS mirror run: Spanner stays at 300
    assertEquals(takenOver(300, root300, FRESH_PUB, FRESH_GC), rows(db, ""));
    TestLogs.generate(source, 1000);
    uploadSource(source);

    Cli.Result r = migrate(db);

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("committed size 600; copying 400 entries"), r.out());
    assertDestinationEquals(source);
    assertEquals(takenOver(1000, rootOf(source), FRESH_PUB, FRESH_GC), rows(db, ""));
  }

  @Test
  void aSpannerDatabaseNeedsABucketDestination() {
    Cli.Result r =
        Cli.run(
            "--source=" + SOURCE,
            "--destination=" + tmp.resolve("dir"),
            "--sourceVerifierKey=" + TestLogs.VKEY,
            "--tesseraSpannerDatabase=projects/p/instances/i/databases/d");
    assertEquals(1, r.status());
    assertTrue(r.err().contains("needs a gs:// destination"), r.err());
    Cli.Result prefix =
        Cli.run(
            "--source=" + SOURCE,
            "--destination=" + DESTINATION,
            "--sourceVerifierKey=" + TestLogs.VKEY,
            "--tesseraSpannerDatabase=projects/p/instances/i/databases/d",
            "--tesseraSpannerTablePrefix=9bad");
    assertEquals(1, prefix.status());
    assertTrue(prefix.err().contains("--tesseraSpannerTablePrefix must match"), prefix.err());
  }

  private static void assertSameObjects(Map<String, byte[]> want, Map<String, byte[]> got) {
    assertEquals(want.keySet(), got.keySet());
    want.forEach((name, bytes) -> assertArrayEquals(bytes, got.get(name), name));
  }
}
