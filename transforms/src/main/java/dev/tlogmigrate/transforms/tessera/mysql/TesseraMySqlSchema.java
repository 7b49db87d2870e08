package dev.tlogmigrate.transforms.tessera.mysql;

import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.tessera.TesseraCoordinates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tessera's AWS coordination schema, as {@code initDB} in its {@code storage/aws} (v1.0.4) creates
 * it in a MySQL-compatible database: the same six tables with the same DDL, the same {@code
 * PubCoord.size} column for tables made before it, and the same initial rows, each added only if
 * absent. MySQL commits each {@code CREATE TABLE} on its own, so this runs before, and outside, the
 * take-over's transaction, as Tessera's appender runs it on start.
 */
final class TesseraMySqlSchema {
  static final String TESSERA = "Tessera";
  static final String SEQ_COORD = "SeqCoord";
  static final String SEQ = "Seq";
  static final String INT_COORD = "IntCoord";
  static final String PUB_COORD = "PubCoord";
  static final String GC_COORD = "GCCoord";
  static final List<String> TABLES =
      List.of(TESSERA, SEQ_COORD, SEQ, INT_COORD, PUB_COORD, GC_COORD);

  /** Tessera's CREATE TABLE statements, in its order. */
  static final List<String> CREATE_TABLES =
      List.of(
          "CREATE TABLE IF NOT EXISTS Tessera (id INT UNSIGNED NOT NULL,"
              + " compatibilityVersion BIGINT UNSIGNED NOT NULL, PRIMARY KEY (id))",
          "CREATE TABLE IF NOT EXISTS SeqCoord(id INT UNSIGNED NOT NULL,"
              + " next BIGINT UNSIGNED NOT NULL, PRIMARY KEY (id))",
          "CREATE TABLE IF NOT EXISTS Seq(id INT UNSIGNED NOT NULL, seq BIGINT UNSIGNED NOT NULL,"
              + " v LONGBLOB, PRIMARY KEY (id, seq))",
          "CREATE TABLE IF NOT EXISTS IntCoord(id INT UNSIGNED NOT NULL,"
              + " seq BIGINT UNSIGNED NOT NULL, rootHash TINYBLOB NOT NULL, PRIMARY KEY (id))",
          "CREATE TABLE IF NOT EXISTS PubCoord(id INT UNSIGNED NOT NULL,"
              + " publishedAt BIGINT NOT NULL, size BIGINT UNSIGNED, PRIMARY KEY (id))",
          "CREATE TABLE IF NOT EXISTS GCCoord(id INT UNSIGNED NOT NULL,"
              + " fromSize BIGINT NOT NULL, PRIMARY KEY (id))");

  /** Tessera's upgrade of a PubCoord table created before it had the size column. */
  static final String ADD_PUB_COORD_SIZE = "ALTER TABLE PubCoord ADD COLUMN size BIGINT UNSIGNED";

  /** Tessera's initial rows, in its order; IntCoord's root (the parameter) is the empty tree's. */
  private static final List<InitialRow> INITIAL_ROWS =
      List.of(
          new InitialRow(
              TESSERA,
              "INSERT IGNORE INTO Tessera (id, compatibilityVersion) VALUES (0, "
                  + TesseraCoordinates.COMPATIBILITY_VERSION
                  + ")"),
          new InitialRow(SEQ_COORD, "INSERT IGNORE INTO SeqCoord (id, next) VALUES (0, 0)"),
          new InitialRow(
              INT_COORD, "INSERT IGNORE INTO IntCoord (id, seq, rootHash) VALUES (0, 0, ?)"),
          new InitialRow(
              PUB_COORD, "INSERT IGNORE INTO PubCoord (id, publishedAt, size) VALUES (0, 0, 0)"),
          new InitialRow(GC_COORD, "INSERT IGNORE INTO GCCoord (id, fromSize) VALUES (0, 0)"));

  private record InitialRow(String table, String insert) {}

  private TesseraMySqlSchema() {}

  /**
   * Which of Tessera's tables exist in the connection's database (names compared without case, as a
   * server with {@code lower_case_table_names} stores them).
   */
  static Set<String> existingTables(Connection c) throws SQLException {
    Set<String> found = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")) {
      while (rs.next()) {
        for (String t : TABLES) {
          if (t.toLowerCase(Locale.ROOT).equals(rs.getString(1).toLowerCase(Locale.ROOT))) {
            found.add(t);
          }
        }
      }
    }
    return found;
  }

  /**
   * Creates whatever of the schema is missing, each statement committing on its own: the tables (if
   * any is missing), the PubCoord size column (if missing), then each initial row that is absent.
   * What exists is left exactly as it is, and not locked: the rows are looked for with plain reads.
   */
  static void ensure(Connection c) throws SQLException {
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      if (!existingTables(c).containsAll(TABLES)) {
        for (String ddl : CREATE_TABLES) {
          s.execute(ddl);
        }
      }
      if (!pubCoordHasSize(c)) {
        s.execute(ADD_PUB_COORD_SIZE);
      }
    }
    for (InitialRow row : INITIAL_ROWS) {
      if (hasRowZero(c, row.table())) {
        continue;
      }
      try (PreparedStatement insert = c.prepareStatement(row.insert())) {
        if (row.table().equals(INT_COORD)) {
          insert.setBytes(1, Rfc6962.emptyRoot());
        }
        insert.executeUpdate();
      }
    }
  }

  private static boolean pubCoordHasSize(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE()"
                    + " AND LOWER(table_name) = 'pubcoord' AND column_name = 'size'")) {
      return rs.next();
    }
  }

  private static boolean hasRowZero(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM " + table + " WHERE id = 0")) {
      return rs.next();
    }
  }
}
