package dev.tlogmigrate.transforms.tessera.mysql;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import dev.tlogmigrate.transforms.tessera.TesseraCoordinates;
import dev.tlogmigrate.transforms.tessera.TesseraTakeoverRules;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Tessera's integration and sequencing state in MySQL (Tessera on AWS): {@code IntCoord} (the
 * integrated size and root, what a Tessera AWS appender continues from) and {@code SeqCoord} (the
 * next index it assigns). Reading it never writes; {@link #commit} is the one transaction that
 * checks it under Tessera's own row locks and hands the verified tree to Tessera.
 */
final class TesseraMySqlState {
  private TesseraMySqlState() {}

  /** Reads the state without locking; a database without Tessera's tables reads as absent. */
  static TesseraCoordinates read(TesseraMySqlConfig config) throws IOException {
    try (Connection c = config.open()) {
      return read(c, config, TesseraMySqlSchema.existingTables(c), "");
    } catch (SQLException e) {
      throw new IOException(config + ": reading Tessera's state failed: " + e.getMessage(), e);
    }
  }

  /**
   * @param lock "" for plain reads, or " FOR UPDATE": the locks Tessera's integrator ({@code
   *     IntCoord}) and sequencer ({@code SeqCoord}, then {@code Seq}) take, in their order
   */
  private static TesseraCoordinates read(
      Connection c, TesseraMySqlConfig config, Set<String> tables, String lock)
      throws SQLException {
    boolean initialised = tables.containsAll(TesseraMySqlSchema.TABLES);
    long version = TesseraCoordinates.COMPATIBILITY_VERSION;
    TreeState integrated = TesseraCoordinates.EMPTY;
    long next = 0;
    boolean pending = false;
    try (Statement s = c.createStatement()) {
      if (tables.contains(TesseraMySqlSchema.TESSERA)) {
        try (ResultSet rs =
            s.executeQuery("SELECT compatibilityVersion FROM Tessera WHERE id = 0")) {
          boolean found = rs.next();
          initialised &= found;
          version = found ? rs.getLong(1) : version;
        }
      }
      if (tables.contains(TesseraMySqlSchema.INT_COORD)) {
        try (ResultSet rs =
            s.executeQuery("SELECT seq, rootHash FROM IntCoord WHERE id = 0" + lock)) {
          boolean found = rs.next();
          initialised &= found;
          if (found) {
            integrated =
                TesseraCoordinates.integrated(
                    config + ": " + TesseraMySqlSchema.INT_COORD, rs.getLong(1), rs.getBytes(2));
          }
        }
      }
      if (tables.contains(TesseraMySqlSchema.SEQ_COORD)) {
        try (ResultSet rs = s.executeQuery("SELECT next FROM SeqCoord WHERE id = 0" + lock)) {
          boolean found = rs.next();
          initialised &= found;
          next = found ? rs.getLong(1) : 0;
        }
      }
      if (tables.contains(TesseraMySqlSchema.SEQ)) {
        try (ResultSet rs = s.executeQuery("SELECT seq FROM Seq LIMIT 1" + lock)) {
          pending = rs.next();
        }
      }
      for (String t : new String[] {TesseraMySqlSchema.PUB_COORD, TesseraMySqlSchema.GC_COORD}) {
        if (tables.contains(t)) {
          try (ResultSet rs = s.executeQuery("SELECT id FROM " + t + " WHERE id = 0")) {
            initialised &= rs.next();
          }
        }
      }
    }
    return new TesseraCoordinates(initialised, version, integrated, next, pending);
  }

  /**
   * The take-over, after creating whatever of Tessera's schema is missing: in one transaction,
   * reads {@code IntCoord}, {@code SeqCoord} and {@code Seq} under {@code FOR UPDATE} (an appender
   * integrating or sequencing waits, or has finished), checks them ({@link TesseraTakeoverRules})
   * and sets {@code IntCoord(0, N, root)} and {@code SeqCoord(0, N)}, leaving {@code PubCoord},
   * {@code GCCoord} and {@code Seq} as they are. Call it only with a verified tree. Writes nothing,
   * and throws, when the rules object.
   *
   * @param planned the IntCoord state the run was planned from, whose root the planner checked
   *     against the destination's tiles; null for a database without Tessera's state
   * @return false if the database already held exactly this take-over state (a re-run)
   */
  static boolean commit(TesseraMySqlConfig config, @Nullable TreeState planned, TreeState target)
      throws IOException {
    TreeState from = planned == null ? TesseraCoordinates.EMPTY : planned;
    try (Connection c = config.open()) {
      TesseraMySqlSchema.ensure(c);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setAutoCommit(false);
      boolean wrote;
      try {
        wrote = takeOver(c, config, from, target);
      } catch (SQLException | IOException | RuntimeException e) {
        rollback(c, e);
        throw e;
      }
      c.commit();
      return wrote;
    } catch (SQLException e) {
      throw new IOException(config + ": committing Tessera's state failed: " + e.getMessage(), e);
    }
  }

  /** Ends a refused or failed transaction, keeping its first failure as the one reported. */
  private static void rollback(Connection c, Exception failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  private static boolean takeOver(
      Connection c, TesseraMySqlConfig config, TreeState from, TreeState target)
      throws SQLException, PreconditionFailedException {
    TesseraCoordinates s = read(c, config, Set.copyOf(TesseraMySqlSchema.TABLES), " FOR UPDATE");
    TesseraTakeoverRules.Refusal refusal =
        TesseraTakeoverRules.refusalInTransaction(config, s, from, target);
    if (refusal != null) {
      String message = refusal.message() + "; nothing written to MySQL";
      if (refusal.concurrent()) {
        throw new PreconditionFailedException(message);
      }
      throw new InvalidLogException(message);
    }
    if (s.holds(target)) {
      return false;
    }
    try (PreparedStatement intCoord =
            c.prepareStatement("UPDATE IntCoord SET seq = ?, rootHash = ? WHERE id = 0");
        PreparedStatement seqCoord =
            c.prepareStatement("UPDATE SeqCoord SET next = ? WHERE id = 0")) {
      intCoord.setLong(1, target.size());
      intCoord.setBytes(2, target.root());
      seqCoord.setLong(1, target.size());
      if (intCoord.executeUpdate() != 1 || seqCoord.executeUpdate() != 1) {
        throw new SQLException("IntCoord or SeqCoord has no row 0");
      }
    }
    return true;
  }
}
