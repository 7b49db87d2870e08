package dev.tlogmigrate.launcher.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import dev.tlogmigrate.transforms.tessera.TesseraCoordinates;
import dev.tlogmigrate.transforms.tessera.mysql.TesseraMySqlConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
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
 * The MySQL side of the take-over (Tessera on AWS) against a real MariaDB server: the schema and
 * rows Tessera's own AWS server creates, and the one transaction that checks IntCoord under {@code
 * FOR UPDATE} and sets IntCoord and SeqCoord, refusing (and writing nothing) where the verified
 * tree does not extend what Tessera holds.
 */
class TesseraMySqlStateTest {
  @RegisterExtension static final MariaDbServer MYSQL = new MariaDbServer();

  private static final TreeState S = new TreeState(300, root("three hundred"));
  private static final TreeState N = new TreeState(1000, root("a thousand"));
  private static final long PUBLISHED = 1748779200; // 2025-06-01T12:00:00Z, as Tessera stores it

  /** A database whose tables and rows Tessera's own server created (its initDB), once. */
  private static String tesseras;

  @BeforeAll
  static void tesseraInitialisesADatabase() throws Exception {
    tesseras = MYSQL.newDatabase();
    TesseraAws.initDb(MYSQL, tesseras);
  }

  @Test
  void aFreshDatabaseGetsTesserasTablesRowsAndTheTakeoverState() throws Exception {
    String db = MYSQL.newDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);
    TesseraCoordinates before = config.read();
    assertFalse(before.initialised());
    assertEquals(TesseraCoordinates.EMPTY, before.integrated());

    assertTrue(config.commit(null, N));

    assertEquals(
        List.of(
            "Tessera(0,1)",
            "SeqCoord(0,1000)",
            TesseraMySqlRows.intCoord(1000, N.rootBase64()),
            "PubCoord(0,0,0)",
            "GCCoord(0,0)"),
        rows(db));
    assertTrue(config.read().holds(N));
    Map<String, Long> writes = writeStatements();
    assertFalse(config.commit(null, N), "a re-run");
    assertEquals(writes, writeStatements(), "a re-run executes no statement that writes");
  }

  @Test
  void theSchemaAndRowsAreTheOnesTesseraCreates() throws Exception {
    String ours = MYSQL.newDatabase();
    MYSQL.config(ours).commit(null, TesseraCoordinates.EMPTY); // the schema, nothing to take over

    assertEquals(
        new TesseraMySqlRows(MYSQL, tesseras).ddl(), new TesseraMySqlRows(MYSQL, ours).ddl());
    assertEquals(
        new TesseraMySqlRows(MYSQL, tesseras).dump(), new TesseraMySqlRows(MYSQL, ours).dump());
    assertTrue(new TesseraMySqlRows(MYSQL, ours).ddl().get(3).contains("`rootHash` tinyblob"));
  }

  @Test
  void tablesTesseraCreatedAreKeptAndOnlyIntCoordAndSeqCoordMove() throws Exception {
    String db = tesseraDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);
    rowsOf(db).set(1, S.size(), S.size(), S.root(), PUBLISHED, S.size(), 256);

    assertTrue(config.commit(S, N));

    assertEquals(
        List.of(
            "Tessera(0,1)",
            "SeqCoord(0,1000)",
            TesseraMySqlRows.intCoord(1000, N.rootBase64()),
            "PubCoord(0," + PUBLISHED + ",300)",
            "GCCoord(0,256)"),
        rows(db));
  }

  @Test
  void whatTesserasOwnMigrationLeavesGetsSeqCoordSet() throws Exception {
    String db = tesseraDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);
    // Tessera's migration tool integrates to N and never touches SeqCoord: an AWS appender would
    // compute next - size on unsigned integers and push back for ever.
    rowsOf(db).set(1, 0, N.size(), N.root(), 0, 0, 0);

    assertTrue(config.commit(N, N));

    assertTrue(rows(db).contains("SeqCoord(0,1000)"), rows(db).toString());
  }

  @Test
  void aDatabaseAheadOfTheSourceIsRefusedAndLeftAlone() throws Exception {
    String db = tesseraDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);
    rowsOf(db).set(1, 1001, 1001, root("ahead"), PUBLISHED, 1001, 768);
    List<String> before = rows(db);

    InvalidLogException e = assertThrows(InvalidLogException.class, () -> config.commit(S, N));

    assertTrue(
        e.getMessage().contains("IntCoord is at size 1001, ahead of the source checkpoint's 1000"),
        e.getMessage());
    assertTrue(e.getMessage().contains("nothing written to MySQL"), e.getMessage());
    assertEquals(before, rows(db));
  }

  @Test
  void anotherRootAtTheSameSizeIsRefusedAndLeftAlone() throws Exception {
    String db = tesseraDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);
    rowsOf(db).set(1, 1000, 1000, root("fork"), PUBLISHED, 1000, 768);
    List<String> before = rows(db);

    InvalidLogException e = assertThrows(InvalidLogException.class, () -> config.commit(S, N));

    assertTrue(e.getMessage().contains("split view at size 1000"), e.getMessage());
    assertEquals(before, rows(db));
  }

  @Test
  void aSmallerTreeTheVerifiedTreeDoesNotExtendIsRefusedAndLeftAlone() throws Exception {
    String db = tesseraDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);
    rowsOf(db).set(1, 300, 300, root("another log"), PUBLISHED, 300, 256);
    List<String> before = rows(db);

    InvalidLogException e = assertThrows(InvalidLogException.class, () -> config.commit(S, N));

    assertTrue(
        e.getMessage().contains("IntCoord at size 300 has root " + b64(root("another log"))),
        e.getMessage());
    assertEquals(before, rows(db));
  }

  @Test
  void aDatabaseThatMovedSinceThePlanIsRefusedAsAConcurrentWriter() throws Exception {
    String db = tesseraDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);
    rowsOf(db).set(1, 500, 500, root("five hundred"), PUBLISHED, 500, 256);
    List<String> before = rows(db);

    assertThrows(PreconditionFailedException.class, () -> config.commit(S, N));
    assertEquals(before, rows(db));
  }

  /**
   * An appender integrating while the commit runs: it holds IntCoord's row lock (as Tessera's
   * integration transaction does) and moves it to 500. The commit's FOR UPDATE read waits for it
   * and sees 500: refused, not a lost update that puts IntCoord back to a tree without 300..499.
   */
  @Test
  void aWriterHoldingIntCoordIsWaitedForAndThenRefused() throws Exception {
    String db = tesseraDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);
    rowsOf(db).set(1, 300, 300, S.root(), PUBLISHED, 300, 256);
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
    assertTrue(
        rows(db).contains(TesseraMySqlRows.intCoord(500, b64(root("five hundred")))),
        rows(db).toString());
  }

  @Test
  void entriesSequencedButNotIntegratedAreRefused() throws Exception {
    String db = tesseraDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);
    TesseraMySqlRows tessera = rowsOf(db);
    tessera.set(1, 302, 300, S.root(), PUBLISHED, 300, 256);
    tessera.addSeq(300, new byte[] {1, 2, 3});
    List<String> before = rows(db);

    InvalidLogException e = assertThrows(InvalidLogException.class, () -> config.commit(S, N));

    assertTrue(e.getMessage().contains("not quiescent"), e.getMessage());
    assertTrue(e.getMessage().contains("Seq holds entries"), e.getMessage());
    assertEquals(before, rows(db));
  }

  @Test
  void aSequencerAheadOfIntegrationIsRefused() throws Exception {
    String db = tesseraDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);
    rowsOf(db).set(1, 302, 300, S.root(), PUBLISHED, 300, 256);
    List<String> before = rows(db);

    InvalidLogException e = assertThrows(InvalidLogException.class, () -> config.commit(S, N));

    assertTrue(e.getMessage().contains("SeqCoord.next is 302, IntCoord.seq 300"), e.getMessage());
    assertEquals(before, rows(db));
  }

  @Test
  void anotherCompatibilityVersionIsRefused() throws Exception {
    String db = tesseraDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);
    rowsOf(db).set(2, 300, 300, S.root(), PUBLISHED, 300, 256);
    List<String> before = rows(db);

    InvalidLogException e = assertThrows(InvalidLogException.class, () -> config.commit(S, N));

    assertTrue(e.getMessage().contains("compatibilityVersion is 2"), e.getMessage());
    assertEquals(before, rows(db));
  }

  @Test
  void anIntCoordRootOfAnotherLengthIsNotATreeState() throws Exception {
    String db = tesseraDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);
    rowsOf(db).set(1, 300, 300, new byte[20], PUBLISHED, 300, 256);

    InvalidLogException e = assertThrows(InvalidLogException.class, config::read);

    assertTrue(
        e.getMessage().contains("IntCoord holds size 300 and a root of 20 bytes"), e.getMessage());
  }

  @Test
  void anEmptyTesseraLogIsExtendedWhateverWasPlanned() throws Exception {
    String db = tesseraDatabase();
    TesseraMySqlConfig config = MYSQL.config(db);

    assertTrue(config.commit(S, N));
    assertTrue(rows(db).contains(TesseraMySqlRows.intCoord(1000, N.rootBase64())));
  }

  @Test
  void thePasswordIsNeverPrinted() throws Exception {
    String database = MYSQL.newDatabase();
    TesseraMySqlConfig wrong =
        TesseraMySqlConfig.of(
            MYSQL.url(database), MariaDbServer.USER, "not-" + MariaDbServer.PASSWORD);

    IOException e = assertThrows(IOException.class, wrong::read);

    assertTrue(e.getMessage().contains("Access denied"), e.getMessage());
    assertFalse(e.getMessage().contains(MariaDbServer.PASSWORD), e.getMessage());
    assertFalse(wrong.toString().contains(MariaDbServer.PASSWORD), wrong.toString());
  }

  /** A new database holding a copy of the tables and rows Tessera created; its name. */
  private static String tesseraDatabase() throws SQLException {
    return MYSQL.copyOf(tesseras, TesseraMySqlRows.TABLES);
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

  private static TesseraMySqlRows rowsOf(String database) {
    return new TesseraMySqlRows(MYSQL, database);
  }

  private static List<String> rows(String database) throws SQLException {
    return rowsOf(database).dump();
  }

  private static byte[] root(String s) {
    return Rfc6962.sha256().digest(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
