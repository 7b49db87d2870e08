package dev.tlogmigrate.launcher.aws;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Tessera's coordination rows in a MariaDB test database (Tessera on AWS), read back for assertions
 * and set up the way a Tessera AWS appender or migration leaves them. The tables themselves come
 * from Tessera ({@link TesseraAws#initDb}) or from the code under test.
 */
public final class TesseraMySqlRows {
  public static final List<String> TABLES =
      List.of("Tessera", "SeqCoord", "Seq", "IntCoord", "PubCoord", "GCCoord");

  private final MariaDbServer mysql;
  private final String database;

  public TesseraMySqlRows(MariaDbServer mysql, String database) {
    this.mysql = mysql;
    this.database = database;
  }

  /** The rows of a Tessera log in the given state (publishedAt in Unix seconds, as Tessera's). */
  public void set(
      long compatibilityVersion,
      long next,
      long intSize,
      byte[] root,
      long publishedAt,
      long pubSize,
      long gcFromSize)
      throws SQLException {
    try (Connection c = mysql.connect(database)) {
      update(c, "UPDATE Tessera SET compatibilityVersion = ? WHERE id = 0", compatibilityVersion);
      update(c, "UPDATE SeqCoord SET next = ? WHERE id = 0", next);
      update(c, "UPDATE IntCoord SET seq = ?, rootHash = ? WHERE id = 0", intSize, root);
      update(c, "UPDATE PubCoord SET publishedAt = ?, size = ? WHERE id = 0", publishedAt, pubSize);
      update(c, "UPDATE GCCoord SET fromSize = ? WHERE id = 0", gcFromSize);
    }
  }

  /** A batch of sequenced entries not yet integrated, as Tessera's sequencer leaves it. */
  public void addSeq(long seq, byte[] v) throws SQLException {
    try (Connection c = mysql.connect(database)) {
      update(c, "INSERT INTO Seq (id, seq, v) VALUES (0, ?, ?)", seq, v);
    }
  }

  /** Every row of Tessera's tables, in table order, as {@code Table(col,col,...)}; bytes base64. */
  public List<String> dump() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = mysql.connect(database);
        Statement s = c.createStatement()) {
      for (String t : TABLES) {
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + t + " ORDER BY id")) {
          while (rs.next()) {
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              Object v = rs.getObject(i);
              values.add(
                  v instanceof byte[] b
                      ? Base64.getEncoder().encodeToString(b)
                      : String.valueOf(v));
            }
            rows.add(t + "(" + String.join(",", values) + ")");
          }
        }
      }
    }
    return rows;
  }

  /** {@code SHOW CREATE TABLE} of each of Tessera's tables. */
  public List<String> ddl() throws SQLException {
    List<String> ddl = new ArrayList<>();
    try (Connection c = mysql.connect(database);
        Statement s = c.createStatement()) {
      for (String t : TABLES) {
        try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + t)) {
          rs.next();
          ddl.add(rs.getString(2));
        }
      }
    }
    return ddl;
  }

  public static String intCoord(long size, String rootBase64) {
    return "IntCoord(0," + size + "," + rootBase64 + ")";
  }

  private static void update(Connection c, String sql, Object... values) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        p.setObject(i + 1, values[i]);
      }
      if (p.executeUpdate() != 1) {
        throw new IllegalStateException("no row for " + sql);
      }
    }
  }
}
