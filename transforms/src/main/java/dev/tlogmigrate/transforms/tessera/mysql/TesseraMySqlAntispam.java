package dev.tlogmigrate.transforms.tessera.mysql;

import com.google.auto.value.AutoValue;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.tessera.AntispamRow;
import dev.tlogmigrate.transforms.tessera.AntispamRules;
import dev.tlogmigrate.transforms.tessera.AntispamWriter;
import dev.tlogmigrate.transforms.tessera.TesseraAntispam;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tessera's antispam index on AWS ({@code storage/aws/antispam}, the same in Tessera v1.0.1, which
 * TesseraCT v0.1.1 uses, and v1.0.4), in a MySQL database of its own on the log's server
 * (TesseraCT's {@code --antispam_db_name}): {@code AntispamIDSeq(h, idx)}, each entry's identity
 * with the first index of the log that holds it, {@code AntispamFollowCoord(0, nextIdx)} and {@code
 * AntispamMeta(0, compatibilityVersion)}.
 */
@AutoValue
public abstract class TesseraMySqlAntispam implements TesseraAntispam {
  private static final long serialVersionUID = 1L;

  static final String ID_SEQ = "AntispamIDSeq";
  static final String FOLLOW_COORD = "AntispamFollowCoord";

  /** The only version Tessera's antispam starts on. */
  static final long COMPATIBILITY_VERSION = 1;

  /** Tessera's DDL and initial rows, verbatim ({@code initDB} runs them on every start). */
  static final List<String> INIT =
      List.of(
          "CREATE TABLE IF NOT EXISTS AntispamMeta (id INT UNSIGNED NOT NULL,"
              + " compatibilityVersion BIGINT UNSIGNED NOT NULL, PRIMARY KEY (id))",
          "CREATE TABLE IF NOT EXISTS AntispamIDSeq (h TINYBLOB NOT NULL,"
              + " idx BIGINT UNSIGNED NOT NULL, PRIMARY KEY (h(32)))",
          "CREATE TABLE IF NOT EXISTS AntispamFollowCoord (id INT UNSIGNED NOT NULL,"
              + " nextIdx BIGINT UNSIGNED NOT NULL, PRIMARY KEY (id))",
          "INSERT IGNORE INTO AntispamMeta (id, compatibilityVersion) VALUES (0, "
              + COMPATIBILITY_VERSION
              + ")",
          "INSERT IGNORE INTO AntispamFollowCoord (id, nextIdx) VALUES (0, 0)");

  /** The antispam database: same server, user and password as the log's. */
  abstract TesseraMySqlConfig connection();

  static TesseraMySqlAntispam of(TesseraMySqlConfig connection) {
    return new AutoValue_TesseraMySqlAntispam(connection);
  }

  @Override
  public long prepare() throws IOException {
    try (Connection c = connection().open();
        Statement s = c.createStatement()) {
      for (String statement : INIT) {
        s.execute(statement);
      }
      try (ResultSet rs =
          s.executeQuery("SELECT compatibilityVersion FROM AntispamMeta WHERE id = 0")) {
        long version = rs.next() ? rs.getLong(1) : -1;
        if (version != COMPATIBILITY_VERSION) {
          throw new InvalidLogException(
              this
                  + ": AntispamMeta.compatibilityVersion is "
                  + version
                  + ", not "
                  + COMPATIBILITY_VERSION
                  + ": not an antispam index Tessera would start on");
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT nextIdx FROM AntispamFollowCoord WHERE id = 0")) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IOException(this + ": preparing the antispam index failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String followCoord() {
    return FOLLOW_COORD;
  }

  @Override
  public AntispamWriter writer() throws IOException {
    Connection c = connection().open();
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      closeQuietly(c, e);
      throw new IOException(this + ": " + e.getMessage(), e);
    }
    return new Writer(this, c);
  }

  /**
   * Each batch is one {@code INSERT IGNORE} of many rows, as Tessera's follower writes them (a
   * present row is left as it is); when fewer rows were inserted than sent, the batch's present
   * rows are read back and checked.
   */
  private static final class Writer implements AntispamWriter {
    private final TesseraMySqlAntispam index;
    private final Connection c;

    Writer(TesseraMySqlAntispam index, Connection c) {
      this.index = index;
      this.c = c;
    }

    @Override
    public long write(List<AntispamRow> rows, long from) throws IOException {
      if (rows.isEmpty()) {
        return 0;
      }
      try {
        int inserted;
        try (PreparedStatement insert =
            c.prepareStatement(
                "INSERT IGNORE INTO AntispamIDSeq (h, idx) VALUES"
                    + " (?, ?),".repeat(rows.size() - 1)
                    + " (?, ?)")) {
          int p = 1;
          for (AntispamRow r : rows) {
            insert.setBytes(p++, r.identity());
            insert.setLong(p++, r.index());
          }
          inserted = insert.executeUpdate();
        }
        if (inserted < rows.size()) {
          checkPresent(rows, from);
        }
        return inserted;
      } catch (SQLException e) {
        throw new IOException(index + ": writing " + ID_SEQ + " rows failed: " + e.getMessage(), e);
      }
    }

    /** Every row of the batch must now be there, each the one sent or an earlier entry's. */
    private void checkPresent(List<AntispamRow> rows, long from) throws SQLException {
      Map<ByteBuffer, Long> present = new HashMap<>();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT h, idx FROM AntispamIDSeq WHERE h IN ("
                  + "?, ".repeat(rows.size() - 1)
                  + "?)")) {
        int p = 1;
        for (AntispamRow r : rows) {
          select.setBytes(p++, r.identity());
        }
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            present.put(ByteBuffer.wrap(rs.getBytes(1)), rs.getLong(2));
          }
        }
      }
      for (AntispamRow r : rows) {
        Long at = present.get(ByteBuffer.wrap(r.identity()));
        if (at == null) {
          throw new SQLException(
              ID_SEQ + " has no row for identity " + r.identityHex() + " after inserting it");
        }
        AntispamRules.checkPresent(index, ID_SEQ, r, at, from);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        c.close();
      } catch (SQLException e) {
        throw new IOException(index + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public boolean advance(long from, long to) throws IOException {
    try (Connection c = connection().open()) {
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setAutoCommit(false);
      long now;
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT nextIdx FROM AntispamFollowCoord WHERE id = 0 FOR UPDATE")) {
        now = rs.next() ? rs.getLong(1) : -1;
      }
      if (now == from && from != to) {
        try (PreparedStatement update =
            c.prepareStatement("UPDATE AntispamFollowCoord SET nextIdx = ? WHERE id = 0")) {
          update.setLong(1, to);
          update.executeUpdate();
        }
      }
      c.commit();
      return AntispamRules.moved(this, FOLLOW_COORD, now, from, to);
    } catch (SQLException e) {
      throw new IOException(
          this + ": moving " + FOLLOW_COORD + ".nextIdx failed: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(Connection c, Exception failure) {
    try {
      c.close();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public final String toString() {
    return connection().toString();
  }
}
