package dev.tlogmigrate.launcher.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.AntispamRows;
import dev.tlogmigrate.launcher.testing.BucketLogs;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.testing.S3Server;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations into Tessera on AWS that fill Tessera's antispam index ({@code --antispamDatabase}, a
 * database of its own on the MariaDB server): the rows Tessera's follower would have written, entry
 * by entry in order (the first index of each identity), {@code AntispamFollowCoord.nextIdx} at the
 * committed size and {@code AntispamMeta}'s version 1; incremental runs, runs that died in between
 * and an index that disagrees with the log.
 */
class TesseraMySqlAntispamTest {
  private static final String BUCKET = "tessera-aws-log";

  @RegisterExtension static final MariaDbServer MYSQL = new MariaDbServer();
  @RegisterExtension static final S3Server S3 = new S3Server(BUCKET);

  @TempDir Path tmp;

  /** Short entries recur all along, longer ones are mostly new (see TesseraSpannerAntispamTest). */
  private Path generate(long size) throws IOException {
    Path dir = tmp.resolve("source");
    new LogGenerator(dir, TestLogs.SIGNER, 11, 0, 12).generate(size);
    return dir;
  }

  private static Cli.Result migrate(Path source, String log, String antispam) throws IOException {
    try (StaticLogServer server = new StaticLogServer(source)) {
      return BucketLogs.migrateVia(
          S3,
          S3.endpoint(),
          server.url(),
          "s3://" + BUCKET,
          "--tesseraMySqlUrl=" + MYSQL.url(log),
          "--tesseraMySqlUser=" + MariaDbServer.USER,
          "--tesseraMySqlPassword=" + MariaDbServer.PASSWORD,
          "--antispamDatabase=" + antispam);
    }
  }

  static Map<String, Long> rows(String antispam) throws SQLException {
    Map<String, Long> rows = new TreeMap<>();
    try (Connection c = MYSQL.connect(antispam);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT h, idx FROM AntispamIDSeq")) {
      while (rs.next()) {
        rows.put(HexFormat.of().formatHex(rs.getBytes(1)), rs.getLong(2));
      }
    }
    return rows;
  }

  static long nextIdx(String antispam) throws SQLException {
    try (Connection c = MYSQL.connect(antispam);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT nextIdx FROM AntispamFollowCoord WHERE id = 0")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String createTable(String database, String table) throws SQLException {
    try (Connection c = MYSQL.connect(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + table)) {
      assertTrue(rs.next(), table);
      return rs.getString(2);
    }
  }

  /** Runs statements in a database of the server. */
  static void sql(String database, String... statements) throws SQLException {
    try (Connection c = MYSQL.connect(database);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  static void insert(String antispam, Map<String, Long> rows) throws SQLException {
    try (Connection c = MYSQL.connect(antispam);
        PreparedStatement insert =
            c.prepareStatement("INSERT INTO AntispamIDSeq (h, idx) VALUES (?, ?)")) {
      for (Map.Entry<String, Long> r : rows.entrySet()) {
        insert.setBytes(1, HexFormat.of().parseHex(r.getKey()));
        insert.setLong(2, r.getValue());
        insert.executeUpdate();
      }
    }
  }

  @Test
  void aFreshIndexGetsTheFirstIndexOfEveryIdentityAndTheFollowerAtTheSize() throws Exception {
    long size = 3 * 256 + 17;
    Path source = generate(size);
    String log = MYSQL.newDatabase();
    String antispam = MYSQL.newDatabase();

    Cli.Result r = migrate(source, log, antispam);

    assertEquals(0, r.status(), r.all());
    Map<String, Long> want = AntispamRows.expected(source, LogFormat.TLOG_TILES, 0, size);
    assertEquals(want, rows(antispam));
    assertEquals(size, nextIdx(antispam));
    assertTrue(
        r.out().contains("antispam index: " + want.size() + " rows written, 0 present"), r.out());
    // Tessera's initDB, copied from storage/aws/antispam independently of the code under test.
    String tesseras = MYSQL.newDatabase();
    sql(
        tesseras,
        "CREATE TABLE IF NOT EXISTS AntispamMeta (id INT UNSIGNED NOT NULL, compatibilityVersion"
            + " BIGINT UNSIGNED NOT NULL, PRIMARY KEY (id))",
        "CREATE TABLE IF NOT EXISTS AntispamIDSeq (h TINYBLOB NOT NULL, idx BIGINT UNSIGNED NOT"
            + " NULL, PRIMARY KEY (h(32)))",
        "CREATE TABLE IF NOT EXISTS AntispamFollowCoord (id INT UNSIGNED NOT NULL, nextIdx BIGINT"
            + " UNSIGNED NOT NULL, PRIMARY KEY (id))");
    for (String table : List.of("AntispamMeta", "AntispamIDSeq", "AntispamFollowCoord")) {
      assertEquals(createTable(tesseras, table), createTable(antispam, table), table);
    }
    try (Connection c = MYSQL.connect(antispam);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, compatibilityVersion FROM AntispamMeta")) {
      assertTrue(rs.next());
      assertEquals(List.of(0L, 1L), List.of(rs.getLong(1), rs.getLong(2)));
    }

    Cli.Result again = migrate(source, log, antispam);
    assertEquals(0, again.status(), again.all());
    assertTrue(again.out().contains("nothing to do"), again.out());
    assertEquals(want, rows(antispam));
  }

  @Test
  void anIncrementalRunWritesOnlyTheNewEntriesRowsAndFinishesARunThatDied() throws Exception {
    Path source = generate(600);
    String log = MYSQL.newDatabase();
    String antispam = MYSQL.newDatabase();
    assertEquals(0, migrate(source, log, antispam).status());
    long rowsBefore = rows(antispam).size();

    generate(1500);
    Cli.Result r = migrate(source, log, antispam);

    assertEquals(0, r.status(), r.all());
    Map<String, Long> want = AntispamRows.expected(source, LogFormat.TLOG_TILES, 0, 1500);
    assertEquals(want, rows(antispam));
    assertEquals(1500, nextIdx(antispam));
    long added = want.size() - rowsBefore;
    long present = AntispamRows.expected(source, LogFormat.TLOG_TILES, 600, 1500).size() - added;
    assertTrue(
        r.out().contains("antispam index: " + added + " rows written, " + present + " present"),
        r.out());

    // A run that died after its commit, before nextIdx moved, with half of its rows written.
    sql(
        antispam,
        "UPDATE AntispamFollowCoord SET nextIdx = 600 WHERE id = 0",
        "DELETE FROM AntispamIDSeq WHERE idx >= 600 AND HEX(h) < '80'");
    Cli.Result again = migrate(source, log, antispam);
    assertEquals(0, again.status(), again.all());
    assertTrue(again.out().contains("at 600: indexing 900 entries"), again.out());
    assertEquals(want, rows(antispam));
    assertEquals(1500, nextIdx(antispam));
  }

  @Test
  void anIndexThatDisagreesWithTheLogIsRefusedNamingTheRow() throws Exception {
    long size = 500;
    Path source = generate(size);
    String log = MYSQL.newDatabase();
    String antispam = MYSQL.newDatabase();
    String h = AntispamRows.identity(source, LogFormat.TLOG_TILES, size, 300);
    long first = AntispamRows.expected(source, LogFormat.TLOG_TILES, 0, size).get(h);
    sql(
        antispam,
        "CREATE TABLE AntispamIDSeq (h TINYBLOB NOT NULL, idx BIGINT UNSIGNED NOT NULL, PRIMARY KEY (h(32)))");
    insert(antispam, Map.of(h, first + 1));

    Cli.Result r = migrate(source, log, antispam);

    assertEquals(1, r.status(), r.all());
    assertTrue(
        r.err()
            .contains(
                MYSQL.url(antispam)
                    + " as "
                    + MariaDbServer.USER
                    + ": AntispamIDSeq holds identity "
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
  void aFollowerAheadOfTheSourceOrAnotherVersionIsRefusedBeforeAnythingIsWritten()
      throws Exception {
    Path source = generate(300);
    String log = MYSQL.newDatabase();
    String antispam = MYSQL.newDatabase();
    sql(
        antispam,
        "CREATE TABLE AntispamFollowCoord (id INT UNSIGNED NOT NULL, nextIdx BIGINT UNSIGNED NOT NULL, PRIMARY KEY (id))",
        "INSERT INTO AntispamFollowCoord VALUES (0, 301)");

    Cli.Result r = migrate(source, log, antispam);

    assertEquals(1, r.status(), r.all());
    assertTrue(
        r.err()
            .contains(
                ": AntispamFollowCoord.nextIdx is 301, ahead of the source checkpoint's size 300;"
                    + " refusing to go back; nothing written"),
        r.err());
    assertTrue(S3.objects(BUCKET, "").isEmpty());

    String other = MYSQL.newDatabase();
    sql(
        other,
        "CREATE TABLE AntispamMeta (id INT UNSIGNED NOT NULL, compatibilityVersion BIGINT UNSIGNED NOT NULL, PRIMARY KEY (id))",
        "INSERT INTO AntispamMeta VALUES (0, 2)");
    Cli.Result v2 = migrate(source, log, other);
    assertEquals(1, v2.status(), v2.all());
    assertTrue(v2.err().contains(": AntispamMeta.compatibilityVersion is 2, not 1"), v2.err());
  }

  @Test
  void theFlagNeedsATakeOver() throws Exception {
    Path source = generate(10);
    try (StaticLogServer server = new StaticLogServer(source)) {
      List<String> args = new ArrayList<>(List.of("--antispamDatabase=antispam"));
      Cli.Result r =
          BucketLogs.migrateVia(
              S3, S3.endpoint(), server.url(), "s3://" + BUCKET, args.toArray(String[]::new));
      assertEquals(1, r.status(), r.all());
      assertTrue(
          r.err()
              .contains("--antispamDatabase needs --tesseraSpannerDatabase or --tesseraMySqlUrl"),
          r.err());
    }
  }
}
