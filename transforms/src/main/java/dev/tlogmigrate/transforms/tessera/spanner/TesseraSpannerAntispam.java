package dev.tlogmigrate.transforms.tessera.spanner;

import com.google.auto.value.AutoValue;
import com.google.cloud.ByteArray;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.KeySet;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerException;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;
import dev.tlogmigrate.transforms.tessera.AntispamRow;
import dev.tlogmigrate.transforms.tessera.AntispamRules;
import dev.tlogmigrate.transforms.tessera.AntispamWriter;
import dev.tlogmigrate.transforms.tessera.TesseraAntispam;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Tessera's antispam index on Google Cloud ({@code storage/gcp/antispam}, Tessera v1.0.4), in a
 * Spanner database of its own (TesseraCT's {@code --spanner_antispam_db_path}): {@code IDSeq(h,
 * idx)}, each entry's identity with the first index of the log that holds it, and {@code
 * FollowCoord(0, nextIdx)}. Reached as the log's database is (the emulator, or Google's Spanner
 * with the run's credentials).
 */
@AutoValue
public abstract class TesseraSpannerAntispam implements TesseraAntispam {
  private static final long serialVersionUID = 1L;

  static final String FOLLOW_COORD = "FollowCoord";
  static final String ID_SEQ = "IDSeq";

  /** Tessera's DDL, verbatim ({@code NewAntispam} runs it on every start). */
  static final List<String> CREATE_TABLES =
      List.of(
          "CREATE TABLE IF NOT EXISTS FollowCoord (id INT64 NOT NULL, nextIdx INT64 NOT NULL)"
              + " PRIMARY KEY (id)",
          "CREATE TABLE IF NOT EXISTS IDSeq (h BYTES(32) NOT NULL, idx INT64 NOT NULL)"
              + " PRIMARY KEY (h)");

  /** {@code projects/P/instances/I/databases/D}. */
  public abstract String database();

  /** The log's database: how Spanner is reached. */
  abstract TesseraSpannerConfig access();

  static TesseraSpannerAntispam of(String database, TesseraSpannerConfig access) {
    return new AutoValue_TesseraSpannerAntispam(database, access);
  }

  private DatabaseId databaseId() {
    return DatabaseId.of(database());
  }

  private Spanner open() {
    return SpannerClients.open(
        database(),
        databaseId().getInstanceId().getProject(),
        access().emulatorHost(),
        access().auth(),
        access().clientTelemetry());
  }

  @Override
  public long prepare() throws IOException {
    try (Spanner spanner = open()) {
      DatabaseClient db = spanner.getDatabaseClient(databaseId());
      if (tables(db) < 2) {
        spanner
            .getDatabaseAdminClient()
            .updateDatabaseDdl(
                databaseId().getInstanceId().getInstance(),
                databaseId().getDatabase(),
                CREATE_TABLES,
                null)
            .get();
      }
      try {
        db.write(List.of(followCoord(0)));
      } catch (SpannerException e) {
        if (e.getErrorCode() != ErrorCode.ALREADY_EXISTS) {
          throw e;
        }
      }
      Struct row = db.singleUse().readRow(FOLLOW_COORD, Key.of(0), List.of("nextIdx"));
      return row.getLong(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while creating the antispam tables in " + this);
    } catch (ExecutionException | SpannerException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IOException(this + ": preparing the antispam index failed: " + firstLine(cause), e);
    }
  }

  private static long tables(DatabaseClient db) {
    Statement query =
        Statement.of(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ''"
                + " AND table_name IN ('FollowCoord', 'IDSeq')");
    try (ResultSet rs = db.singleUse().executeQuery(query)) {
      rs.next();
      return rs.getLong(0);
    }
  }

  private static Mutation followCoord(long nextIdx) {
    return Mutation.newInsertBuilder(FOLLOW_COORD)
        .set("id")
        .to(0)
        .set("nextIdx")
        .to(nextIdx)
        .build();
  }

  @Override
  public String followCoord() {
    return FOLLOW_COORD;
  }

  @Override
  public AntispamWriter writer() {
    return new Writer(this, open());
  }

  /**
   * Each batch is written blind, in one commit, as long as none of its rows is present (a fresh
   * index); a batch that meets a present row is written again in a read-write transaction that
   * reads its keys, checks the present rows and inserts only the absent ones.
   */
  private static final class Writer implements AntispamWriter {
    private final TesseraSpannerAntispam index;
    private final Spanner spanner;
    private final DatabaseClient db;

    Writer(TesseraSpannerAntispam index, Spanner spanner) {
      this.index = index;
      this.spanner = spanner;
      this.db = spanner.getDatabaseClient(index.databaseId());
    }

    @Override
    public long write(List<AntispamRow> rows, long from) throws IOException {
      if (rows.isEmpty()) {
        return 0;
      }
      try {
        try {
          db.writeAtLeastOnce(inserts(rows));
          return rows.size();
        } catch (SpannerException e) {
          if (e.getErrorCode() != ErrorCode.ALREADY_EXISTS) {
            throw e;
          }
        }
        Long written =
            db.readWriteTransaction()
                .run(
                    tx -> {
                      Map<ByteBuffer, Long> present = new HashMap<>();
                      KeySet.Builder keys = KeySet.newBuilder();
                      for (AntispamRow r : rows) {
                        keys.addKey(Key.of(ByteArray.copyFrom(r.identity())));
                      }
                      try (ResultSet rs = tx.read(ID_SEQ, keys.build(), List.of("h", "idx"))) {
                        while (rs.next()) {
                          present.put(ByteBuffer.wrap(rs.getBytes(0).toByteArray()), rs.getLong(1));
                        }
                      }
                      List<AntispamRow> absent = new ArrayList<>();
                      for (AntispamRow r : rows) {
                        Long at = present.get(ByteBuffer.wrap(r.identity()));
                        if (at == null) {
                          absent.add(r);
                        } else {
                          AntispamRules.checkPresent(index, ID_SEQ, r, at, from);
                        }
                      }
                      tx.buffer(inserts(absent));
                      return (long) absent.size();
                    });
        return written == null ? 0 : written;
      } catch (SpannerException e) {
        throw new IOException(index + ": writing " + ID_SEQ + " rows failed: " + firstLine(e), e);
      }
    }

    private static List<Mutation> inserts(List<AntispamRow> rows) {
      List<Mutation> out = new ArrayList<>(rows.size());
      for (AntispamRow r : rows) {
        out.add(
            Mutation.newInsertBuilder(ID_SEQ)
                .set("h")
                .to(ByteArray.copyFrom(r.identity()))
                .set("idx")
                .to(r.index())
                .build());
      }
      return out;
    }

    @Override
    public void close() {
      spanner.close();
    }
  }

  @Override
  public boolean advance(long from, long to) throws IOException {
    try (Spanner spanner = open()) {
      DatabaseClient db = spanner.getDatabaseClient(databaseId());
      Long found =
          db.readWriteTransaction()
              .run(
                  tx -> {
                    Struct row = tx.readRow(FOLLOW_COORD, Key.of(0), List.of("nextIdx"));
                    long now = row == null ? -1 : row.getLong(0);
                    if (now == from && from != to) {
                      tx.buffer(
                          Mutation.newUpdateBuilder(FOLLOW_COORD)
                              .set("id")
                              .to(0)
                              .set("nextIdx")
                              .to(to)
                              .build());
                    }
                    return now;
                  });
      return AntispamRules.moved(this, FOLLOW_COORD, found == null ? -1 : found, from, to);
    } catch (SpannerException e) {
      throw new IOException(this + ": moving FollowCoord.nextIdx failed: " + firstLine(e), e);
    }
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  @Override
  public final String toString() {
    return database();
  }
}
