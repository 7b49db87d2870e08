package dev.tlogmigrate.launcher.tessera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import dev.tlogmigrate.transforms.tessera.TesseraCoordinates;
import dev.tlogmigrate.transforms.tessera.TesseraDatabase;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The take-over of a Tessera deployment's database ({@link TesseraDatabase}: Spanner, MySQL)
 * against a real server of it: a fresh database gets Tessera's tables and rows, and the one
 * transaction that checks IntCoord and sets IntCoord and SeqCoord refuses (and writes nothing)
 * where the verified tree does not extend what Tessera holds, or where Tessera is not idle. A
 * database's test extends this and adds what is its own (its schema against Tessera's, locks).
 *
 * @param <D> the test's handle to one database
 */
public abstract class TesseraDatabaseContract<D> {
  protected static final TreeState S = new TreeState(300, root("three hundred"));
  protected static final TreeState N = new TreeState(1000, root("a thousand"));

  /** 2025-06-01T12:00:00Z. */
  protected static final long PUBLISHED = 1748779200;

  private final String name;

  /**
   * @param name what the refusals call the database: "Spanner", "MySQL"
   */
  protected TesseraDatabaseContract(String name) {
    this.name = name;
  }

  /** A new database without Tessera's tables. */
  protected abstract D fresh() throws Exception;

  /** A new database with the tables and rows of a log that Tessera has just created. */
  protected abstract D tessera() throws Exception;

  /** The code under test's view of the database. */
  protected abstract TesseraDatabase database(D db);

  /**
   * Tessera's coordination rows: compatibilityVersion, SeqCoord.next, IntCoord (size and root),
   * PubCoord (published, in Unix seconds, and size) and GCCoord.fromSize.
   */
  public record Coordination(
      long version, long next, long size, byte[] root, long published, long pubSize, long gcFrom) {}

  /** Sets Tessera's rows to a log's state, as its appender or migration tool leaves them. */
  protected abstract void set(D db, Coordination c) throws Exception;

  /** A batch of sequenced entries not yet integrated, as Tessera's sequencer leaves it. */
  protected abstract void addSeq(D db, long seq, byte[] v) throws Exception;

  /** Every row of Tessera's tables, in table order, as {@code Table(col,col,...)}; bytes base64. */
  protected abstract List<String> rows(D db) throws Exception;

  /** PubCoord.publishedAt as {@link #rows} shows it. */
  protected abstract String publishedAt(long unixSeconds);

  protected static byte[] root(String s) {
    return Rfc6962.sha256().digest(s.getBytes(StandardCharsets.UTF_8));
  }

  protected static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  protected static String intCoord(long size, String rootBase64) {
    return "IntCoord(0," + size + "," + rootBase64 + ")";
  }

  /** Tessera's rows once taken over at N: PubCoord and GCCoord as they were. */
  private List<String> takenOverToN(long published, long pubSize, long gcFrom) {
    return List.of(
        "Tessera(0,1)",
        "SeqCoord(0,1000)",
        intCoord(1000, N.rootBase64()),
        "PubCoord(0," + publishedAt(published) + "," + pubSize + ")",
        "GCCoord(0," + gcFrom + ")");
  }

  /** Sets Tessera's rows, then expects the take-over from S to N refused with nothing written. */
  private InvalidLogException refused(Coordination c) throws Exception {
    D db = tessera();
    set(db, c);
    List<String> before = rows(db);

    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> database(db).commit(S, N));

    assertEquals(before, rows(db));
    return e;
  }

  @Test
  void aFreshDatabaseGetsTesserasTablesRowsAndTheTakeoverState() throws Exception {
    D db = fresh();
    TesseraCoordinates before = database(db).read();
    assertFalse(before.initialised());
    assertEquals(TesseraCoordinates.EMPTY, before.integrated());

    assertTrue(database(db).commit(null, N));

    assertEquals(takenOverToN(0, 0, 0), rows(db));
    assertTrue(database(db).read().holds(N));
    assertFalse(database(db).commit(null, N), "a re-run writes nothing");
  }

  @Test
  void tablesTesseraCreatedAreKeptAndOnlyIntCoordAndSeqCoordMove() throws Exception {
    D db = tessera();
    set(db, new Coordination(1, S.size(), S.size(), S.root(), PUBLISHED, S.size(), 256));

    assertTrue(database(db).commit(S, N));

    assertEquals(takenOverToN(PUBLISHED, 300, 256), rows(db));
  }

  /**
   * Tessera's migration tool integrates to N and never touches SeqCoord: an appender would reuse 0,
   * 1, ... (GCP), or compute next - size on unsigned integers and push back for ever (AWS).
   */
  @Test
  void whatTesserasOwnMigrationLeavesGetsSeqCoordSet() throws Exception {
    D db = tessera();
    set(db, new Coordination(1, 0, N.size(), N.root(), 0, 0, 0));

    assertTrue(database(db).commit(N, N));

    assertTrue(rows(db).contains("SeqCoord(0,1000)"), rows(db).toString());
  }

  @Test
  void anEmptyTesseraLogIsExtendedWhateverWasPlanned() throws Exception {
    D db = tessera();

    assertTrue(database(db).commit(S, N));
    assertTrue(rows(db).contains(intCoord(1000, N.rootBase64())), rows(db).toString());
  }

  @Test
  void aDatabaseAheadOfTheSourceIsRefusedAndLeftAlone() throws Exception {
    InvalidLogException e =
        refused(new Coordination(1, 1001, 1001, root("ahead"), PUBLISHED, 1001, 768));

    assertTrue(
        e.getMessage().contains("IntCoord is at size 1001, ahead of the source checkpoint's 1000"),
        e.getMessage());
    assertTrue(e.getMessage().contains("nothing written to " + name), e.getMessage());
  }

  @Test
  void anotherRootAtTheSameSizeIsRefusedAndLeftAlone() throws Exception {
    InvalidLogException e =
        refused(new Coordination(1, 1000, 1000, root("fork"), PUBLISHED, 1000, 768));

    assertTrue(e.getMessage().contains("split view at size 1000"), e.getMessage());
  }

  @Test
  void aSmallerTreeTheVerifiedTreeDoesNotExtendIsRefusedAndLeftAlone() throws Exception {
    InvalidLogException e =
        refused(new Coordination(1, 300, 300, root("another log"), PUBLISHED, 300, 256));

    assertTrue(
        e.getMessage().contains("IntCoord at size 300 has root " + b64(root("another log"))),
        e.getMessage());
  }

  @Test
  void aSequencerAheadOfIntegrationIsRefused() throws Exception {
    InvalidLogException e = refused(new Coordination(1, 302, 300, S.root(), PUBLISHED, 300, 256));

    assertTrue(e.getMessage().contains("SeqCoord.next is 302, IntCoord.seq 300"), e.getMessage());
  }

  @Test
  void anotherCompatibilityVersionIsRefused() throws Exception {
    InvalidLogException e = refused(new Coordination(2, 300, 300, S.root(), PUBLISHED, 300, 256));

    assertTrue(e.getMessage().contains("compatibilityVersion is 2"), e.getMessage());
  }

  @Test
  void aDatabaseThatMovedSinceThePlanIsRefusedAsAConcurrentWriter() throws Exception {
    D db = tessera();
    set(db, new Coordination(1, 500, 500, root("five hundred"), PUBLISHED, 500, 256));
    List<String> before = rows(db);

    assertThrows(PreconditionFailedException.class, () -> database(db).commit(S, N));
    assertEquals(before, rows(db));
  }

  @Test
  void entriesSequencedButNotIntegratedAreRefused() throws Exception {
    D db = tessera();
    set(db, new Coordination(1, 302, 300, S.root(), PUBLISHED, 300, 256));
    addSeq(db, 300, new byte[] {1, 2, 3});
    List<String> before = rows(db);

    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> database(db).commit(S, N));

    assertTrue(e.getMessage().contains("not quiescent"), e.getMessage());
    assertTrue(e.getMessage().contains("Seq holds entries"), e.getMessage());
    assertEquals(before, rows(db));
  }

  @Test
  void anIntCoordRootOfAnotherLengthIsNotATreeState() throws Exception {
    D db = tessera();
    set(db, new Coordination(1, 300, 300, new byte[20], PUBLISHED, 300, 256));

    InvalidLogException e = assertThrows(InvalidLogException.class, database(db)::read);

    assertTrue(
        e.getMessage().contains("IntCoord holds size 300 and a root of 20 bytes"), e.getMessage());
  }
}
