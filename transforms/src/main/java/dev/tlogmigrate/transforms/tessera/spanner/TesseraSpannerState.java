package dev.tlogmigrate.transforms.tessera.spanner;

import com.google.cloud.ByteArray;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.KeySet;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Options;
import com.google.cloud.spanner.ReadContext;
import com.google.cloud.spanner.ReadOnlyTransaction;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerException;
import com.google.cloud.spanner.Struct;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import dev.tlogmigrate.transforms.tessera.TesseraCoordinates;
import dev.tlogmigrate.transforms.tessera.TesseraTakeoverRules;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Tessera's integration and sequencing state in Spanner (Tessera v1.0.4, storage/gcp/gcp.go):
 * {@code IntCoord} (the integrated size and root, what a Tessera GCP appender continues from) and
 * {@code SeqCoord} (the next index it assigns). Reading it never writes; {@link #commit} is the one
 * read-write transaction that checks it and hands the verified tree to Tessera.
 */
public final class TesseraSpannerState {
  private TesseraSpannerState() {}

  /**
   * Reads the state in one read-only transaction; a database without Tessera's tables reads as
   * absent.
   */
  public static TesseraCoordinates read(TesseraSpannerConfig config) throws IOException {
    try (Spanner spanner = config.open()) {
      DatabaseClient db = spanner.getDatabaseClient(config.databaseId());
      Set<String> tables = TesseraSpannerSchema.existingTables(db, config);
      try (ReadOnlyTransaction tx = db.readOnlyTransaction()) {
        return read(tx, config, tables);
      }
    } catch (SpannerException e) {
      throw new IOException(config + ": reading Tessera's state failed: " + firstLine(e), e);
    }
  }

  private static TesseraCoordinates read(
      ReadContext tx, TesseraSpannerConfig config, Set<String> tables) {
    boolean initialised = tables.containsAll(TesseraSpannerSchema.TABLES);
    long version = TesseraCoordinates.COMPATIBILITY_VERSION;
    TreeState integrated = TesseraCoordinates.EMPTY;
    long next = 0;
    boolean pending = false;
    if (tables.contains(TesseraSpannerSchema.TESSERA)) {
      Struct row =
          tx.readRow(
              config.table(TesseraSpannerSchema.TESSERA),
              Key.of(0),
              List.of("compatibilityVersion"));
      initialised &= row != null;
      version = row == null ? version : row.getLong(0);
    }
    if (tables.contains(TesseraSpannerSchema.INT_COORD)) {
      Struct row =
          tx.readRow(
              config.table(TesseraSpannerSchema.INT_COORD), Key.of(0), List.of("seq", "rootHash"));
      initialised &= row != null;
      if (row != null) {
        integrated =
            TesseraCoordinates.integrated(
                config + ": " + config.table(TesseraSpannerSchema.INT_COORD),
                row.getLong(0),
                row.isNull(1) ? null : row.getBytes(1).toByteArray());
      }
    }
    if (tables.contains(TesseraSpannerSchema.SEQ_COORD)) {
      Struct row =
          tx.readRow(config.table(TesseraSpannerSchema.SEQ_COORD), Key.of(0), List.of("next"));
      initialised &= row != null;
      next = row == null ? 0 : row.getLong(0);
    }
    if (tables.contains(TesseraSpannerSchema.SEQ)) {
      try (ResultSet rs =
          tx.read(
              config.table(TesseraSpannerSchema.SEQ),
              KeySet.all(),
              List.of("seq"),
              Options.limit(1))) {
        pending = rs.next();
      }
    }
    for (String t : List.of(TesseraSpannerSchema.PUB_COORD, TesseraSpannerSchema.GC_COORD)) {
      if (tables.contains(t)) {
        initialised &= tx.readRow(config.table(t), Key.of(0), List.of("id")) != null;
      }
    }
    return new TesseraCoordinates(initialised, version, integrated, next, pending);
  }

  /**
   * The take-over, in one read-write transaction, after creating whatever of Tessera's schema is
   * missing: checks {@code IntCoord} and sets {@code IntCoord(0, N, root)} and {@code SeqCoord(0,
   * N)}, leaving {@code PubCoord}, {@code GCCoord} and {@code Seq} as they are. Call it only with a
   * verified tree. Writes nothing, and throws, when {@link TesseraTakeoverRules} object.
   *
   * @param planned the IntCoord state the run was planned from, whose root the planner checked
   *     against the destination's tiles; null for a database without Tessera's state
   * @return false if the database already held exactly this take-over state (a re-run)
   */
  public static boolean commit(
      TesseraSpannerConfig config, @Nullable TreeState planned, TreeState target)
      throws IOException {
    TreeState from = planned == null ? TesseraCoordinates.EMPTY : planned;
    try (Spanner spanner = config.open()) {
      TesseraSpannerSchema.ensure(spanner, config);
      DatabaseClient db = spanner.getDatabaseClient(config.databaseId());
      Outcome outcome =
          db.readWriteTransaction()
              .run(
                  tx -> {
                    TesseraCoordinates s =
                        read(tx, config, Set.copyOf(TesseraSpannerSchema.TABLES));
                    TesseraTakeoverRules.Refusal refusal =
                        TesseraTakeoverRules.refusalInTransaction(config, s, from, target);
                    if (refusal != null) {
                      return new Outcome(
                          refusal.message() + "; nothing written to Spanner",
                          refusal.concurrent(),
                          false);
                    }
                    if (s.holds(target)) {
                      return new Outcome(null, false, false);
                    }
                    tx.buffer(
                        List.of(
                            Mutation.newUpdateBuilder(config.table(TesseraSpannerSchema.INT_COORD))
                                .set("id")
                                .to(0)
                                .set("seq")
                                .to(target.size())
                                .set("rootHash")
                                .to(ByteArray.copyFrom(target.root()))
                                .build(),
                            Mutation.newUpdateBuilder(config.table(TesseraSpannerSchema.SEQ_COORD))
                                .set("id")
                                .to(0)
                                .set("next")
                                .to(target.size())
                                .build()));
                    return new Outcome(null, false, true);
                  });
      if (outcome.refusal() != null) {
        if (outcome.concurrent()) {
          throw new PreconditionFailedException(outcome.refusal());
        }
        throw new InvalidLogException(outcome.refusal());
      }
      return outcome.wrote();
    } catch (SpannerException e) {
      throw new IOException(config + ": committing Tessera's state failed: " + firstLine(e), e);
    }
  }

  private record Outcome(@Nullable String refusal, boolean concurrent, boolean wrote) {}

  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
