package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.ByteArray;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import dev.tlogmigrate.launcher.testing.AntispamRows;
import dev.tlogmigrate.launcher.testing.BucketLogs;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations into Tessera on Google Cloud that fill Tessera's antispam index ({@code
 * --antispamDatabase}, a Spanner database of its own on the emulator): the rows Tessera's follower
 * would have written, entry by entry in order (the first index of each identity), and its {@code
 * FollowCoord.nextIdx} at the committed size; incremental runs, runs that died in between and an
 * index that disagrees with the log.
 */
class TesseraSpannerAntispamTest {
  @RegisterExtension static final SpannerEmulator SPANNER = new SpannerEmulator();

  private static final String SOURCE_BUCKET = "tlog-source";
  private static final String DEST_BUCKET = "tessera-log";
  private static final String SOURCE = "gs://" + SOURCE_BUCKET + "/logs/example";
  private static final String DESTINATION = "gs://" + DEST_BUCKET;

  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(SOURCE_BUCKET, DEST_BUCKET);

  @TempDir Path tmp;

  /**
   * A log whose entries of up to 6 bytes ("", "e", ..., "entry ") recur all along, and whose longer
   * ones ("entry 12", ...) are mostly new: the first index of each identity has to win.
   */
  private Path generate(long size) throws IOException {
    Path dir = tmp.resolve("source");
    new LogGenerator(dir, TestLogs.SIGNER, 11, 0, 12).generate(size);
    Cli.files(dir).forEach((name, bytes) -> GCS.put(SOURCE_BUCKET, "logs/example/" + name, bytes));
    return dir;
  }

  static Cli.Result migrate(String log, String antispam, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--spannerEmulatorHost=" + SPANNER.host(),
                "--tesseraSpannerDatabase=" + log,
                "--antispamDatabase=" + antispam));
    args.addAll(List.of(extra));
    return BucketLogs.migrateVia(
        GCS, GCS.endpoint(), SOURCE, DESTINATION, args.toArray(String[]::new));
  }

  /** IDSeq, identity hex to index. */
  static Map<String, Long> rows(String antispam) {
    Map<String, Long> rows = new TreeMap<>();
    try (ResultSet rs =
        SPANNER
            .client(antispam)
            .singleUse()
            .executeQuery(Statement.of("SELECT h, idx FROM IDSeq"))) {
      while (rs.next()) {
        rows.put(HexFormat.of().formatHex(rs.getBytes(0).toByteArray()), rs.getLong(1));
      }
    }
    return rows;
  }

  static long nextIdx(String antispam) {
    try (ResultSet rs =
        SPANNER
            .client(antispam)
            .singleUse()
            .executeQuery(Statement.of("SELECT nextIdx FROM FollowCoord WHERE id = 0"))) {
      rs.next();
      return rs.getLong(0);
    }
  }

  /**
   * An antispam database as Tessera's antispam makes it on start (its DDL, copied from Tessera's
   * storage/gcp/antispam independently of the code under test), its follower at nextIdx.
   */
  static String antispamDatabase(long nextIdx) throws Exception {
    String db =
        SPANNER.newDatabase(
            "CREATE TABLE IF NOT EXISTS FollowCoord (id INT64 NOT NULL, nextIdx INT64 NOT NULL)"
                + " PRIMARY KEY (id)",
            "CREATE TABLE IF NOT EXISTS IDSeq (h BYTES(32) NOT NULL, idx INT64 NOT NULL)"
                + " PRIMARY KEY (h)");
    SPANNER
        .client(db)
        .write(
            List.of(
                Mutation.newInsertBuilder("FollowCoord")
                    .set("id")
                    .to(0)
                    .set("nextIdx")
                    .to(nextIdx)
                    .build()));
    return db;
  }

  /** The emulator's DDL of a database. */
  static List<String> ddl(String database) {
    return SPANNER
        .spanner()
        .getDatabaseAdminClient()
        .getDatabaseDdl(SpannerEmulator.INSTANCE, DatabaseId.of(database).getDatabase());
  }

  static void insert(String antispam, Map<String, Long> rows) {
    List<Mutation> m = new java.util.ArrayList<>();
    rows.forEach(
        (h, idx) ->
            m.add(
                Mutation.newInsertBuilder("IDSeq")
                    .set("h")
                    .to(ByteArray.copyFrom(HexFormat.of().parseHex(h)))
                    .set("idx")
                    .to(idx)
                    .build()));
    SPANNER.client(antispam).write(m);
  }

  static void setNextIdx(String antispam, long nextIdx) {
    SPANNER
        .client(antispam)
        .write(
            List.of(
                Mutation.newUpdateBuilder("FollowCoord")
                    .set("id")
                    .to(0)
                    .set("nextIdx")
                    .to(nextIdx)
                    .build()));
  }

  @Test
  void aFreshIndexGetsTheFirstIndexOfEveryIdentityAndTheFollowerAtTheSize() throws Exception {
    long size = 3 * 256 + 17;
    Path source = generate(size);
    String log = SPANNER.newDatabase();
    String antispam = SPANNER.newDatabase();

    Cli.Result r = migrate(log, antispam);

    assertEquals(0, r.status(), r.all());
    Map<String, Long> want = AntispamRows.expected(source, LogFormat.TLOG_TILES, 0, size);
    assertTrue(
        want.size() < size * 3 / 4 && want.size() > size / 4,
        "a mix of duplicates and new entries: " + want.size() + " identities");
    assertEquals(want, rows(antispam));
    assertEquals(size, nextIdx(antispam));
    assertEquals(ddl(antispamDatabase(0)), ddl(antispam), "Tessera's antispam schema");
    assertTrue(
        r.out().contains("antispam index: " + want.size() + " rows written, 0 present"), r.out());
    assertTrue(
        r.out()
            .contains(
                "Tessera antispam index "
                    + antispam
                    + ": a row for every entry identity below "
                    + size
                    + ", FollowCoord.nextIdx "
                    + size),
        r.out());

    Cli.Result again = migrate(log, antispam);
    assertEquals(0, again.status(), again.all());
    assertTrue(again.out().contains("nothing to do"), again.out());
    assertEquals(want, rows(antispam));
  }

  @Test
  void anIncrementalRunWritesOnlyTheNewEntriesRows() throws Exception {
    Path source = generate(600);
    String log = SPANNER.newDatabase();
    String antispam = SPANNER.newDatabase();
    assertEquals(0, migrate(log, antispam).status());
    long rowsBefore = rows(antispam).size();

    generate(1500);
    Cli.Result r = migrate(log, antispam);

    assertEquals(0, r.status(), r.all());
    Map<String, Long> want = AntispamRows.expected(source, LogFormat.TLOG_TILES, 0, 1500);
    assertEquals(want, rows(antispam));
    assertEquals(1500, nextIdx(antispam));
    long added = want.size() - rowsBefore;
    // The rows of entries 600.. whose identity an earlier entry has are met as present.
    long present = AntispamRows.expected(source, LogFormat.TLOG_TILES, 600, 1500).size() - added;
    assertTrue(
        r.out().contains("antispam index " + antispam + " at 600: writing the rows of 900 entries"),
        r.out());
    assertTrue(
        r.out().contains("antispam index: " + added + " rows written, " + present + " present"),
        r.out());
  }

  @Test
  void aLogMovedWithoutTheIndexGetsItsRowsFromTheBucket() throws Exception {
    long size = 700;
    Path source = generate(size);
    String log = SPANNER.newDatabase();
    String antispam = SPANNER.newDatabase();
    BucketLogs.migrateVia(
        GCS,
        GCS.endpoint(),
        SOURCE,
        DESTINATION,
        "--spannerEmulatorHost=" + SPANNER.host(),
        "--tesseraSpannerDatabase=" + log);

    Cli.Result r = migrate(log, antispam);

    assertEquals(0, r.status(), r.all());
    assertTrue(
        r.out()
            .contains(
                "already at size 700 with that root; antispam index "
                    + antispam
                    + " at 0: indexing 700 entries"),
        r.out());
    assertEquals(AntispamRows.expected(source, LogFormat.TLOG_TILES, 0, size), rows(antispam));
    assertEquals(size, nextIdx(antispam));
  }

  @Test
  void runsThatDiedBeforeOrAfterTheCommitAreFinished() throws Exception {
    long size = 1000;
    Path source = generate(size);
    Map<String, Long> want = AntispamRows.expected(source, LogFormat.TLOG_TILES, 0, size);
    // Died before its commit: some rows written, nothing else.
    String log = SPANNER.newDatabase();
    String antispam = antispamDatabase(0);
    Map<String, Long> some = new TreeMap<>(want);
    some.keySet().removeIf(h -> h.compareTo("80") < 0); // about half of the rows
    insert(antispam, some);

    Cli.Result r = migrate(log, antispam);

    assertEquals(0, r.status(), r.all());
    assertEquals(want, rows(antispam));
    assertEquals(size, nextIdx(antispam));
    assertTrue(
        r.out()
            .contains(
                "antispam index: "
                    + (want.size() - some.size())
                    + " rows written, "
                    + some.size()
                    + " present"),
        r.out());

    // Died after its commit, before nextIdx moved.
    setNextIdx(antispam, 0);
    Cli.Result again = migrate(log, antispam);
    assertEquals(0, again.status(), again.all());
    assertTrue(again.out().contains("indexing 1000 entries"), again.out());
    assertEquals(want, rows(antispam));
    assertEquals(size, nextIdx(antispam));
  }

  @Test
  void anIndexThatDisagreesWithTheLogIsRefusedNamingTheRow() throws Exception {
    long size = 500;
    Path source = generate(size);
    String log = SPANNER.newDatabase();
    String antispam = antispamDatabase(0);
    // The identity of entry 300 at the index after its first one: an index of another log.
    String h = AntispamRows.identity(source, LogFormat.TLOG_TILES, size, 300);
    long first = AntispamRows.expected(source, LogFormat.TLOG_TILES, 0, size).get(h);
    insert(antispam, Map.of(h, first + 1));

    Cli.Result r = migrate(log, antispam);

    assertEquals(1, r.status(), r.all());
    assertTrue(
        r.err()
            .contains(
                antispam
                    + ": IDSeq holds identity "
                    + h
                    + " at index "
                    + (first + 1)
                    + ", but the log's first entry with that identity from index 0 on is "
                    + first),
        r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertEquals(0, nextIdx(antispam));
  }

  @Test
  void aFollowerAheadOfTheSourceIsRefusedBeforeAnythingIsWritten() throws Exception {
    generate(300);
    String log = SPANNER.newDatabase();
    String antispam = antispamDatabase(301);

    Cli.Result r = migrate(log, antispam);

    assertEquals(1, r.status(), r.all());
    assertTrue(
        r.err()
            .contains(
                antispam
                    + ": FollowCoord.nextIdx is 301, ahead of the source checkpoint's size 300;"
                    + " refusing to go back; nothing written"),
        r.err());
    assertTrue(GCS.objects(DEST_BUCKET, "").isEmpty());
    assertEquals(301, nextIdx(antispam));
  }

  @Test
  void aFollowerBeyondWhatTesseraIntegratedIsRefused() throws Exception {
    generate(300);
    String log = SPANNER.newDatabase(); // IntCoord at 0
    String antispam = antispamDatabase(200);

    Cli.Result r = migrate(log, antispam);

    assertEquals(1, r.status(), r.all());
    assertTrue(
        r.err()
            .contains(
                antispam
                    + ": FollowCoord.nextIdx is 200, beyond the 0 entries Tessera's IntCoord has"
                    + " integrated"),
        r.err());
  }
}
