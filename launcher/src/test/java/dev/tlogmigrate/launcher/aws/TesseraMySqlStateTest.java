package dev.tlogmigrate.launcher.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.tessera.TesseraDatabaseContract;
import dev.tlogmigrate.transforms.secret.Secret;
import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import dev.tlogmigrate.transforms.tessera.TesseraCoordinates;
import dev.tlogmigrate.transforms.tessera.TesseraDatabase;
import dev.tlogmigrate.transforms.tessera.mysql.TesseraMySqlConfig;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MySQL side of the take-over (Tessera on AWS) against a real MariaDB server: the contract of
 * every Tessera database ({@link TesseraDatabaseContract}) on tables and rows Tessera's own AWS
 * server created, those tables and rows against ours, the commit's {@code FOR UPDATE} read against
 * an appender that holds IntCoord, and what the password never shows up in.
 */
class TesseraMySqlStateTest extends TesseraDatabaseContract<String> {
  @RegisterExtension static final MariaDbServer MYSQL = new MariaDbServer();

  /** A database whose tables and rows Tessera's own server created (its initDB), once. */
  private static String tesseras;

  TesseraMySqlStateTest() {
    super("MySQL");
  }

  @BeforeAll
  static void tesseraInitialisesADatabase() throws Exception {
    tesseras = MYSQL.newDatabase();
    TesseraAws.initDb(MYSQL, tesseras);
  }

  @Override
  protected String fresh() throws SQLException {
    return MYSQL.newDatabase();
  }

  /** A new database holding a copy of the tables and rows Tessera created. */
  @Override
  protected String tessera() throws SQLException {
    return MYSQL.copyOf(tesseras, TesseraMySqlRows.TABLES);
  }

  @Override
  protected TesseraDatabase database(String db) {
    return MYSQL.config(db);
  }

  @Override
  protected void set(String db, Coordination c) throws SQLException {
    rowsOf(db)
        .set(c.version(), c.next(), c.size(), c.root(), c.published(), c.pubSize(), c.gcFrom());
  }

  @Override
  protected void addSeq(String db, long seq, byte[] v) throws SQLException {
    rowsOf(db).addSeq(seq, v);
  }

  @Override
  protected List<String> rows(String db) throws SQLException {
    return rowsOf(db).dump();
  }

  /** As Tessera stores it: Unix seconds. */
  @Override
  protected String publishedAt(long unixSeconds) {
    return Long.toString(unixSeconds);
  }

  private static TesseraMySqlRows rowsOf(String database) {
    return new TesseraMySqlRows(MYSQL, database);
  }

  @Test
  void aReRunExecutesNoStatementThatWrites() throws Exception {
    TesseraMySqlConfig config = MYSQL.config(fresh());
    assertTrue(config.commit(null, N));

    Map<String, Long> writes = writeStatements();
    assertFalse(config.commit(null, N), "a re-run");
    assertEquals(writes, writeStatements(), "a re-run executes no statement that writes");
  }

  @Test
  void theSchemaAndRowsAreTheOnesTesseraCreates() throws Exception {
    String ours = MYSQL.newDatabase();
    MYSQL.config(ours).commit(null, TesseraCoordinates.EMPTY); // the schema, nothing to take over

    assertEquals(rowsOf(tesseras).ddl(), rowsOf(ours).ddl());
    assertEquals(rowsOf(tesseras).dump(), rowsOf(ours).dump());
    assertTrue(rowsOf(ours).ddl().get(3).contains("`rootHash` tinyblob"));
  }

  /**
   * An appender integrating while the commit runs: it holds IntCoord's row lock (as Tessera's
   * integration transaction does) and moves it to 500. The commit's FOR UPDATE read waits for it
   * and sees 500: refused, not a lost update that puts IntCoord back to a tree without 300..499.
   */
  @Test
  void aWriterHoldingIntCoordIsWaitedForAndThenRefused() throws Exception {
    String db = tessera();
    TesseraMySqlConfig config = MYSQL.config(db);
    set(db, new Coordination(1, 300, 300, S.root(), PUBLISHED, 300, 256));
    try (Connection appender = MYSQL.connect(db)) {
      appender.setAutoCommit(false);
      try (Statement s = appender.createStatement()) {
        s.executeQuery("SELECT seq, rootHash FROM IntCoord WHERE id = 0 FOR UPDATE").close();
        CompletableFuture<Boolean> commit =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return config.commit(S, N);
                  } catch (IOException e) {
                    throw new CompletionException(e);
                  }
                });
        awaitCommitOnIntCoord(commit);
        s.executeUpdate(
            "UPDATE IntCoord SET seq = 500, rootHash = X'"
                + hex(root("five hundred"))
                + "' WHERE id = 0");
        s.executeUpdate("UPDATE SeqCoord SET next = 500 WHERE id = 0");
        appender.commit();

        Throwable e =
            assertThrows(ExecutionException.class, () -> commit.get(60, TimeUnit.SECONDS))
                .getCause();
        assertTrue(e instanceof PreconditionFailedException, String.valueOf(e));
        assertTrue(e.getMessage().contains("moved to size 500"), e.getMessage());
      }
    }
    assertTrue(rows(db).contains(intCoord(500, b64(root("five hundred")))), rows(db).toString());
  }

  @Test
  void thePasswordIsNeverPrinted() throws Exception {
    String database = MYSQL.newDatabase();
    TesseraMySqlConfig wrong =
        TesseraMySqlConfig.of(
            MYSQL.url(database),
            MariaDbServer.USER,
            Secret.given("--tesseraMySqlPassword", "not-" + MariaDbServer.PASSWORD));

    IOException e = assertThrows(IOException.class, wrong::read);

    assertTrue(e.getMessage().contains("Access denied"), e.getMessage());
    assertFalse(e.getMessage().contains(MariaDbServer.PASSWORD), e.getMessage());
    assertFalse(wrong.toString().contains(MariaDbServer.PASSWORD), wrong.toString());
  }

  /**
   * The server's counts of statements that write (over all sessions; the tests here are the only
   * client).
   */
  private static Map<String, Long> writeStatements() throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    try (Connection c = MYSQL.connect("");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_insert', 'Com_update',"
                    + " 'Com_delete', 'Com_create_table', 'Com_alter_table', 'Com_replace')")) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
    }
    return counts;
  }

  /**
   * Waits until the commit runs a statement on IntCoord, which the appender's lock holds up: its
   * read (FOR UPDATE), or its update where the read does not lock.
   */
  private static void awaitCommitOnIntCoord(CompletableFuture<Boolean> commit) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Connection c = MYSQL.connect("");
        Statement s = c.createStatement()) {
      while (System.nanoTime() < deadline && !commit.isDone()) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM information_schema.processlist"
                    + " WHERE info LIKE '%IntCoord%' AND id <> CONNECTION_ID()")) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return;
          }
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("the commit did not reach IntCoord while the appender held it");
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
