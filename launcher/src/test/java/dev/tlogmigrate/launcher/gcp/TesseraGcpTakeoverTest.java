package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.ByteArray;
import com.google.cloud.spanner.Mutation;
import dev.tlogmigrate.launcher.peers.CloudTakeover;
import dev.tlogmigrate.launcher.testing.AntispamRows;
import dev.tlogmigrate.launcher.testing.BucketLogs;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.LogEntries;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.SignedNote;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Tessera on Google Cloud (v1.0.4's {@code storage/gcp} appender, through our harness's {@code
 * gcp} mode) takes over a log that tlog-migrate moved into a bucket of fake-gcs-server and a
 * database of the Spanner emulator: it appends in published batches, and tlog-migrate copies the
 * grown log back. With the antispam index filled by the same migration, Tessera's own {@code
 * storage/gcp/antispam} finds its follower caught up, pushes nothing back, and answers entries of
 * the log added again with their original index. Spanner state corrupted on purpose fails on one
 * side or the other, as each test shows.
 */
class TesseraGcpTakeoverTest {
  @RegisterExtension static final SpannerEmulator SPANNER = new SpannerEmulator();

  private static final String BUCKET = "tessera-gcp-log";

  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(BUCKET);

  @TempDir Path tmp;

  private static Cli.Result migrate(String source, String destination, String... extra) {
    List<String> args = new ArrayList<>(List.of("--spannerEmulatorHost=" + SPANNER.host()));
    args.addAll(List.of(extra));
    return BucketLogs.migrateVia(
        GCS, GCS.endpoint(), source, destination, args.toArray(String[]::new));
  }

  /** Tessera's GCP appender on the log under prefix in the bucket and its Spanner database. */
  private static CloudTakeover tessera(String prefix, String database, String... flags)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--gcs_endpoint=" + GCS.endpoint(),
                "--bucket=" + BUCKET,
                "--bucket_prefix=" + prefix,
                "--spanner=" + database));
    args.addAll(List.of(flags));
    return CloudTakeover.run("gcp", args, Map.of("SPANNER_EMULATOR_HOST", SPANNER.host()));
  }

  private static String rootOf(Path log) throws IOException {
    byte[] note = Files.readAllBytes(log.resolve("checkpoint"));
    return Checkpoint.parse("checkpoint", SignedNote.parse("checkpoint", note).text()).rootBase64();
  }

  private static long checkpointSize(Path log) throws IOException {
    byte[] note = Files.readAllBytes(log.resolve("checkpoint"));
    return Checkpoint.parse("checkpoint", SignedNote.parse("checkpoint", note).text()).size();
  }

  /**
   * The copy holds the source's entries, then the ones Tessera added, at the indices it gave them.
   */
  private static void assertGrown(Path source, long size, CloudTakeover t, Path copy)
      throws IOException {
    long grown = size + t.added().size();
    assertEquals(grown, checkpointSize(copy));
    Map<Long, byte[]> added = new TreeMap<>(t.added());
    assertEquals(LongStream.range(size, grown).boxed().toList(), List.copyOf(added.keySet()));
    List<byte[]> want = new ArrayList<>(LogEntries.entries(source, size));
    want.addAll(added.values());
    List<byte[]> got = LogEntries.entries(copy, grown);
    for (int i = 0; i < grown; i++) {
      assertArrayEquals(want.get(i), got.get(i), "entry " + i);
    }
  }

  /** An index of the log whose entry an earlier entry already is, and that earlier index. */
  private static long[] duplicate(Path log, long size, long after) throws IOException {
    Map<String, Long> first = AntispamRows.expected(log, LogFormat.TLOG_TILES, 0, size);
    for (long i = after; i < size; i++) {
      long f = first.get(AntispamRows.identity(log, LogFormat.TLOG_TILES, size, i));
      if (f != i) {
        return new long[] {i, f};
      }
    }
    throw new AssertionError("no duplicate entry after " + after);
  }

  @Test
  void tesseraTakesOverABucketPrefixAndGrowsItAcrossLevelOnesFirstTile() throws Exception {
    long n = 65_400; // 300 more cross a bundle boundary and level 1's first tile (65,536)
    Path source = TestLogs.generate(tmp.resolve("source"), n);
    Path before = tmp.resolve("before");
    assertEquals(0, Cli.migrate(source.toString(), before, TestLogs.VKEY).status());
    String log = SPANNER.newDatabase();
    Cli.Result moved =
        migrate(source.toString(), "gs://" + BUCKET + "/logs/a", "--tesseraSpannerDatabase=" + log);
    assertEquals(0, moved.status(), moved.all());

    CloudTakeover t = tessera("logs/a", log, "--count=300", "--batches=3");

    assertEquals(0, t.status(), t.log());
    assertEquals(n + 300, t.checkpoint());
    assertTrue(GCS.objects(BUCKET, "").keySet().stream().allMatch(k -> k.startsWith("logs/a/")));
    Path fresh = tmp.resolve("fresh");
    Cli.Result copied = migrate("gs://" + BUCKET + "/logs/a", fresh.toString());
    assertEquals(0, copied.status(), copied.all());
    assertGrown(source, n, t, fresh);
    Cli.Result incremental = migrate("gs://" + BUCKET + "/logs/a", before.toString());
    assertEquals(0, incremental.status(), incremental.all());
    assertTrue(
        incremental.out().contains("committed size " + n + "; copying 300"), incremental.out());
    assertGrown(source, n, t, before);
  }

  /**
   * Tessera's antispam follower wakes a second after start; a follower more than 2,048 entries
   * behind then pushes back every entry until it has read the log. The entries added again go in
   * before that first look: their answers come from the rows the migration wrote.
   */
  @Test
  void tesserasAntispamFindsItsFollowerCaughtUpAndTheOriginalIndices() throws Exception {
    long n = 3000;
    Path source = TestLogs.generate(tmp.resolve("source"), n);
    String log = SPANNER.newDatabase();
    String antispam = SPANNER.newDatabase();
    Cli.Result moved =
        migrate(
            source.toString(),
            "gs://" + BUCKET,
            "--tesseraSpannerDatabase=" + log,
            "--antispamDatabase=" + antispam);
    assertEquals(0, moved.status(), moved.all());
    long[] dup = duplicate(source, n, 2000);

    // One batch: on the emulator Tessera's follower holds up each batch for about 30 s.
    CloudTakeover t =
        tessera(
            "",
            log,
            "--antispam_spanner=" + antispam,
            "--count=10",
            "--timeout=60s",
            "--readd=0,2815,2999," + dup[0]);

    assertEquals(0, t.status(), t.log());
    assertEquals(List.of(n, n), List.of(t.followerStart(), t.followerTree()), "caught up");
    assertEquals(
        Map.of(
            0L,
            new CloudTakeover.Readd(0, true),
            2815L,
            new CloudTakeover.Readd(2815, true),
            2999L,
            new CloudTakeover.Readd(2999, true),
            dup[0],
            new CloudTakeover.Readd(dup[1], true)),
        t.readds(),
        "entries added again get their original (first) index");
    assertEquals(0, t.pushbacks(), t.log());
    assertEquals(n + 10, t.checkpoint());
    assertEquals(n + 10, t.followerEnd());
    Path copy = tmp.resolve("copy");
    Cli.Result copied = migrate("gs://" + BUCKET, copy.toString());
    assertEquals(0, copied.status(), copied.all());
    assertGrown(source, n, t, copy);
  }

  /** A 1,000-entry log moved into the bucket's root and a database, for Tessera to take over. */
  private String movedLog(Path source) throws Exception {
    TestLogs.generate(source, 1000);
    String log = SPANNER.newDatabase();
    Cli.Result r = migrate(source.toString(), "gs://" + BUCKET, "--tesseraSpannerDatabase=" + log);
    assertEquals(0, r.status(), r.all());
    return log;
  }

  private static void set(String database, String table, String column, Object value) {
    Mutation.WriteBuilder m = Mutation.newUpdateBuilder(table).set("id").to(0);
    if (value instanceof Long l) {
      m.set(column).to(l);
    } else {
      m.set(column).to(ByteArray.copyFrom((byte[]) value));
    }
    SPANNER.client(database).write(List.of(m.build()));
  }

  /** tlog-migrate copying the bucket after Tessera ran: how the bucket reads to a client. */
  private Cli.Result copyBack() {
    return migrate("gs://" + BUCKET, tmp.resolve("copy").toString());
  }

  @Test
  void intCoordMovedBackFailsOnBothSides() throws Exception {
    String log = movedLog(tmp.resolve("source"));
    set(log, "IntCoord", "seq", 900L); // the root is still the one of 1000

    CloudTakeover t = tessera("", log, "--count=10", "--timeout=12s");
    Cli.Result copy = copyBack();

    // Tessera publishes a checkpoint of 900 with the root of 1000 and never integrates again.
    assertEquals(1, t.status(), t.log());
    assertTrue(t.failure().contains("context deadline exceeded"), t.failure());
    assertTrue(t.log().contains("integrity fail"), t.log());
    assertEquals(1, copy.status(), copy.all());
    assertTrue(
        copy.err()
            .contains(
                "the checkpoint's tree size 900 implies this entry tile, which the"
                    + " source does not have"),
        copy.err());
  }

  @Test
  void intCoordMovedAheadFailsInTessera() throws Exception {
    Path source = tmp.resolve("source");
    String log = movedLog(source);
    set(log, "IntCoord", "seq", 1100L);

    CloudTakeover t = tessera("", log, "--count=10", "--timeout=12s");
    Cli.Result copy = copyBack();

    // Tessera hands out 1000.. and, integrating them from 1100, panics (makeslice: cap out of
    // range), or with other batch shapes stalls after publishing a checkpoint of 1100.
    assertTrue(t.status() != 0, t.log());
    assertTrue(
        t.log().contains("panic: runtime error")
            || t.failure().contains("context deadline exceeded"),
        t.log());
    // A copy then finds either the log Tessera never changed, or Tessera's false checkpoint.
    assertTrue(
        copy.status() == 0
            ? copy.out().contains("committed tree size 1000, root " + rootOf(source))
            : copy.err()
                .contains(
                    "the checkpoint's tree size 1100 implies this entry tile, which the"
                        + " source does not have"),
        copy.all());
  }

  @Test
  void aWrongIntCoordRootIsSignedByTesseraAndRefusedByTlogMigrate() throws Exception {
    Path source = tmp.resolve("source");
    String log = movedLog(source);
    set(log, "IntCoord", "rootHash", new byte[32]);

    // Nothing added: Tessera publishes its own checkpoint of what it took over.
    CloudTakeover t = tessera("", log, "--count=0", "--linger=4s");
    Cli.Result copy = copyBack();

    assertEquals(0, t.status(), t.log());
    assertEquals(1000, t.checkpoint());
    assertEquals(Base64.getEncoder().encodeToString(new byte[32]), t.checkpointRoot());
    assertEquals(1, copy.status(), copy.all());
    assertTrue(
        copy.err().contains("root mismatch at tree size 1000: the source's entries hash to"),
        copy.err());
  }

  @Test
  void seqCoordNextBehindFailsInTessera() throws Exception {
    String log = movedLog(tmp.resolve("source"));
    set(log, "SeqCoord", "next", 900L);

    CloudTakeover t = tessera("", log, "--count=10", "--timeout=12s");

    assertEquals(1, t.status(), t.log());
    assertTrue(
        t.failure()
            .contains(
                "Tessera gave a new entry index 900, inside the tree of size 1000 it took over"),
        t.failure());
  }
}
