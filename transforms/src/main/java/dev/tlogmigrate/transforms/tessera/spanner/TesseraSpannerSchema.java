package dev.tlogmigrate.transforms.tessera.spanner;

import com.google.cloud.ByteArray;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerException;
import com.google.cloud.spanner.Statement;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.tessera.TesseraCoordinates;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Tessera's GCP coordination schema, as its {@code storage/gcp} {@code initDB} creates it (Tessera
 * v1.0.4, storage/gcp/gcp.go): the same six tables with the same DDL, the same {@code ALTER} for
 * old {@code PubCoord} tables, and the same initial rows, each inserted only if absent. Table names
 * get the configured prefix. Compatibility version 1 is Tessera's {@code
 * SchemaCompatibilityVersion}: an appender refuses to start on any other.
 */
public final class TesseraSpannerSchema {
  public static final String TESSERA = "Tessera";
  public static final String SEQ_COORD = "SeqCoord";
  public static final String SEQ = "Seq";
  public static final String INT_COORD = "IntCoord";
  public static final String PUB_COORD = "PubCoord";
  public static final String GC_COORD = "GCCoord";
  public static final List<String> TABLES =
      List.of(TESSERA, SEQ_COORD, SEQ, INT_COORD, PUB_COORD, GC_COORD);

  private TesseraSpannerSchema() {}

  /** Tessera's CREATE TABLE statements, verbatim but for the table prefix. */
  public static List<String> createTables(String prefix) {
    return List.of(
        "CREATE TABLE IF NOT EXISTS "
            + prefix
            + TESSERA
            + " (id INT64 NOT NULL, compatibilityVersion INT64 NOT NULL) PRIMARY KEY (id)",
        "CREATE TABLE IF NOT EXISTS "
            + prefix
            + SEQ_COORD
            + " (id INT64 NOT NULL, next INT64 NOT NULL,) PRIMARY KEY (id)",
        "CREATE TABLE IF NOT EXISTS "
            + prefix
            + SEQ
            + " (id INT64 NOT NULL, seq INT64 NOT NULL, v BYTES(MAX),) PRIMARY KEY (id, seq)",
        "CREATE TABLE IF NOT EXISTS "
            + prefix
            + INT_COORD
            + " (id INT64 NOT NULL, seq INT64 NOT NULL, rootHash BYTES(32)) PRIMARY KEY (id)",
        "CREATE TABLE IF NOT EXISTS "
            + prefix
            + PUB_COORD
            + " (id INT64 NOT NULL, publishedAt TIMESTAMP NOT NULL, size INT64) PRIMARY KEY (id)",
        "CREATE TABLE IF NOT EXISTS "
            + prefix
            + GC_COORD
            + " (id INT64 NOT NULL, fromSize INT64 NOT NULL) PRIMARY KEY (id)");
  }

  /** Tessera's upgrade of a PubCoord table created before it had the size column. */
  public static String addPubCoordSize(String prefix) {
    return "ALTER TABLE " + prefix + PUB_COORD + " ADD COLUMN IF NOT EXISTS size INT64";
  }

  /** Tessera's initial rows, in its order; each is inserted on its own and only if absent. */
  public static List<Mutation> initialRows(String prefix) {
    return List.of(
        Mutation.newInsertBuilder(prefix + TESSERA)
            .set("id")
            .to(0)
            .set("compatibilityVersion")
            .to(TesseraCoordinates.COMPATIBILITY_VERSION)
            .build(),
        Mutation.newInsertBuilder(prefix + SEQ_COORD).set("id").to(0).set("next").to(0).build(),
        Mutation.newInsertBuilder(prefix + INT_COORD)
            .set("id")
            .to(0)
            .set("seq")
            .to(0)
            .set("rootHash")
            .to(ByteArray.copyFrom(Rfc6962.emptyRoot()))
            .build(),
        Mutation.newInsertBuilder(prefix + PUB_COORD)
            .set("id")
            .to(0)
            .set("publishedAt")
            .to(Timestamp.ofTimeSecondsAndNanos(0, 0))
            .set("size")
            .to(0)
            .build(),
        Mutation.newInsertBuilder(prefix + GC_COORD).set("id").to(0).set("fromSize").to(0).build());
  }

  /**
   * Which of Tessera's tables (unprefixed names) exist in the database under the config's prefix.
   */
  static Set<String> existingTables(DatabaseClient db, TesseraSpannerConfig config) {
    Set<String> names = new HashSet<>();
    for (String t : TABLES) {
      names.add(config.table(t));
    }
    Set<String> found = new HashSet<>();
    Statement query =
        Statement.newBuilder(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = '' AND table_name IN UNNEST(@names)")
            .bind("names")
            .toStringArray(names)
            .build();
    try (ResultSet rs = db.singleUse().executeQuery(query)) {
      while (rs.next()) {
        found.add(rs.getString(0).substring(config.tablePrefix().length()));
      }
    }
    return found;
  }

  private static boolean pubCoordHasSize(DatabaseClient db, TesseraSpannerConfig config) {
    Statement query =
        Statement.newBuilder(
                "SELECT column_name FROM information_schema.columns "
                    + "WHERE table_schema = '' AND table_name = @table AND column_name = 'size'")
            .bind("table")
            .to(config.table(PUB_COORD))
            .build();
    try (ResultSet rs = db.singleUse().executeQuery(query)) {
      return rs.next();
    }
  }

  /**
   * Creates whatever of the schema is missing, as Tessera's appender does on start: the tables (if
   * any is missing), the PubCoord size column (if missing), then each initial row that is absent.
   * Existing tables and rows are left exactly as they are.
   */
  static void ensure(Spanner spanner, TesseraSpannerConfig config) throws IOException {
    DatabaseClient db = spanner.getDatabaseClient(config.databaseId());
    String instance = config.databaseId().getInstanceId().getInstance();
    String database = config.databaseId().getDatabase();
    try {
      if (!existingTables(db, config).containsAll(TABLES)) {
        spanner
            .getDatabaseAdminClient()
            .updateDatabaseDdl(instance, database, createTables(config.tablePrefix()), null)
            .get();
      }
      if (!pubCoordHasSize(db, config)) {
        spanner
            .getDatabaseAdminClient()
            .updateDatabaseDdl(
                instance, database, List.of(addPubCoordSize(config.tablePrefix())), null)
            .get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while creating Tessera's tables in " + config);
    } catch (ExecutionException e) {
      throw new IOException(
          config + ": creating Tessera's tables failed: " + e.getCause().getMessage(),
          e.getCause());
    }
    for (Mutation row : initialRows(config.tablePrefix())) {
      try {
        db.write(List.of(row));
      } catch (SpannerException e) {
        if (e.getErrorCode() != ErrorCode.ALREADY_EXISTS) {
          throw e;
        }
      }
    }
  }
}
