package dev.tlogmigrate.launcher.gcp;

import com.google.cloud.ByteArray;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.KeySet;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Struct;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Tessera's coordination rows in a test database, read back for assertions and set up the way a
 * Tessera GCP appender or migration leaves them. The DDL here is copied from Tessera's {@code
 * storage/gcp/gcp.go} ({@code initDB}) independently of the code under test, so that a test
 * database made with it is one Tessera made.
 */
public final class TesseraRows {
  /** Tessera's initDB DDL, for a table prefix. */
  public static String[] tesseraDdl(String p) {
    return new String[] {
      "CREATE TABLE IF NOT EXISTS "
          + p
          + "Tessera (id INT64 NOT NULL, compatibilityVersion INT64 NOT NULL) PRIMARY KEY (id)",
      "CREATE TABLE IF NOT EXISTS "
          + p
          + "SeqCoord (id INT64 NOT NULL, next INT64 NOT NULL,) PRIMARY KEY (id)",
      "CREATE TABLE IF NOT EXISTS "
          + p
          + "Seq (id INT64 NOT NULL, seq INT64 NOT NULL, v BYTES(MAX),) PRIMARY KEY (id, seq)",
      "CREATE TABLE IF NOT EXISTS "
          + p
          + "IntCoord (id INT64 NOT NULL, seq INT64 NOT NULL, rootHash BYTES(32)) PRIMARY KEY (id)",
      "CREATE TABLE IF NOT EXISTS "
          + p
          + "PubCoord (id INT64 NOT NULL, publishedAt TIMESTAMP NOT NULL, size INT64) PRIMARY KEY (id)",
      "CREATE TABLE IF NOT EXISTS "
          + p
          + "GCCoord (id INT64 NOT NULL, fromSize INT64 NOT NULL) PRIMARY KEY (id)",
    };
  }

  private final DatabaseClient db;
  private final String p;

  public TesseraRows(DatabaseClient db, String prefix) {
    this.db = db;
    this.p = prefix;
  }

  /** The rows of a Tessera log of the given state: what an appender leaves once it is idle. */
  public void set(
      long compatibilityVersion,
      long next,
      long intSize,
      byte[] root,
      Timestamp publishedAt,
      long pubSize,
      long gcFrom) {
    db.write(
        List.of(
            Mutation.newInsertOrUpdateBuilder(p + "Tessera")
                .set("id")
                .to(0)
                .set("compatibilityVersion")
                .to(compatibilityVersion)
                .build(),
            Mutation.newInsertOrUpdateBuilder(p + "SeqCoord")
                .set("id")
                .to(0)
                .set("next")
                .to(next)
                .build(),
            Mutation.newInsertOrUpdateBuilder(p + "IntCoord")
                .set("id")
                .to(0)
                .set("seq")
                .to(intSize)
                .set("rootHash")
                .to(ByteArray.copyFrom(root))
                .build(),
            Mutation.newInsertOrUpdateBuilder(p + "PubCoord")
                .set("id")
                .to(0)
                .set("publishedAt")
                .to(publishedAt)
                .set("size")
                .to(pubSize)
                .build(),
            Mutation.newInsertOrUpdateBuilder(p + "GCCoord")
                .set("id")
                .to(0)
                .set("fromSize")
                .to(gcFrom)
                .build()));
  }

  public void addSeq(long seq, byte[] v) {
    db.write(
        List.of(
            Mutation.newInsertBuilder(p + "Seq")
                .set("id")
                .to(0)
                .set("seq")
                .to(seq)
                .set("v")
                .to(ByteArray.copyFrom(v))
                .build()));
  }

  /** Every row of the six tables, one line each, sorted by table: what assertions compare. */
  public List<String> dump() {
    List<String> rows = new ArrayList<>();
    rows.addAll(read("Tessera", "id", "compatibilityVersion"));
    rows.addAll(read("SeqCoord", "id", "next"));
    rows.addAll(read("Seq", "id", "seq"));
    rows.addAll(read("IntCoord", "id", "seq", "rootHash"));
    rows.addAll(read("PubCoord", "id", "publishedAt", "size"));
    rows.addAll(read("GCCoord", "id", "fromSize"));
    return rows;
  }

  private List<String> read(String table, String... columns) {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = db.singleUse().read(p + table, KeySet.all(), List.of(columns))) {
      while (rs.next()) {
        rows.add(table + row(rs.getCurrentRowAsStruct()));
      }
    }
    return rows;
  }

  private static String row(Struct s) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < s.getColumnCount(); i++) {
      if (s.isNull(i)) {
        values.add("NULL");
        continue;
      }
      switch (s.getColumnType(i).getCode()) {
        case INT64 -> values.add(Long.toString(s.getLong(i)));
        case BYTES -> values.add(Base64.getEncoder().encodeToString(s.getBytes(i).toByteArray()));
        case TIMESTAMP -> values.add(s.getTimestamp(i).toString());
        default -> values.add(s.getValue(i).toString());
      }
    }
    return "(" + String.join(",", values) + ")";
  }

  public static String intCoord(long size, String rootBase64) {
    return "IntCoord(0," + size + "," + rootBase64 + ")";
  }
}
