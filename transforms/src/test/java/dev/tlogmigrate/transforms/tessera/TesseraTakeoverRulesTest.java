package dev.tlogmigrate.transforms.tessera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TreeState;
import org.junit.jupiter.api.Test;

/** The take-over's checks, the same for Tessera's Spanner and MySQL state. */
class TesseraTakeoverRulesTest {
  private static final TreeState N = new TreeState(1000, Rfc6962.sha256().digest(new byte[] {1}));

  @Test
  void refusalsNeedNoTransaction() {
    String c = "db";
    TreeState other = new TreeState(1000, Rfc6962.sha256().digest(new byte[] {2}));
    assertNull(
        TesseraTakeoverRules.refusal(
            c, new TesseraCoordinates(true, 1, TesseraCoordinates.EMPTY, 0, false), N));
    assertNull(
        TesseraTakeoverRules.refusal(c, new TesseraCoordinates(true, 1, N, 0, false), N),
        "Tessera's migration tool leaves SeqCoord.next behind IntCoord: completed, not refused");
    assertTrue(
        TesseraTakeoverRules.refusal(
                c, new TesseraCoordinates(true, 1, new TreeState(1001, N.root()), 1001, false), N)
            .contains("ahead of the source checkpoint's 1000"));
    assertTrue(
        TesseraTakeoverRules.refusal(c, new TesseraCoordinates(true, 1, other, 1000, false), N)
            .contains("split view"));
    assertTrue(
        TesseraTakeoverRules.refusal(
                c, new TesseraCoordinates(true, 1, TesseraCoordinates.EMPTY, 3, false), N)
            .contains("not quiescent"));
    assertTrue(
        TesseraTakeoverRules.refusal(
                c, new TesseraCoordinates(true, 1, TesseraCoordinates.EMPTY, 0, true), N)
            .contains("not quiescent"));
    assertTrue(
        TesseraTakeoverRules.refusal(
                c, new TesseraCoordinates(true, 2, TesseraCoordinates.EMPTY, 0, false), N)
            .contains("compatibilityVersion is 2"));
    assertTrue(
        TesseraTakeoverRules.refusal(
                c, new TesseraCoordinates(true, 1, new TreeState(0, N.root()), 0, false), N)
            .contains("not the empty tree's"));
  }

  @Test
  void commitMovesIntCoordOnlyFromThePlannedStateOrTheEmptyTree() {
    TreeState planned = new TreeState(400, Rfc6962.sha256().digest(new byte[] {4}));
    TreeState otherAtPlanned = new TreeState(400, Rfc6962.sha256().digest(new byte[] {5}));
    TreeState moved = new TreeState(600, Rfc6962.sha256().digest(new byte[] {6}));
    assertNull(TesseraTakeoverRules.conflict("db", planned, planned, N));
    assertNull(TesseraTakeoverRules.conflict("db", TesseraCoordinates.EMPTY, planned, N));
    assertNull(TesseraTakeoverRules.conflict("db", N, planned, N), "a re-run holds the target");

    TesseraTakeoverRules.Refusal split =
        TesseraTakeoverRules.conflict("db", otherAtPlanned, planned, N);
    assertEquals(false, split.concurrent());
    assertTrue(split.message().startsWith("db: Tessera's IntCoord at size 400 has root "));

    TesseraTakeoverRules.Refusal race = TesseraTakeoverRules.conflict("db", moved, planned, N);
    assertEquals(true, race.concurrent());
    assertTrue(race.message().contains("moved to size 600 since this run was planned at size 400"));
  }

  @Test
  void inTheTransactionTheRefusalsComeFirstThenTheConflict() {
    TreeState planned = new TreeState(400, Rfc6962.sha256().digest(new byte[] {4}));
    TreeState moved = new TreeState(600, Rfc6962.sha256().digest(new byte[] {6}));
    TesseraTakeoverRules.Refusal ahead =
        TesseraTakeoverRules.refusalInTransaction(
            "db",
            new TesseraCoordinates(true, 1, new TreeState(1001, N.root()), 1001, false),
            planned,
            N);
    assertEquals(false, ahead.concurrent());
    assertTrue(ahead.message().contains("ahead of the source checkpoint's 1000"));

    TesseraTakeoverRules.Refusal race =
        TesseraTakeoverRules.refusalInTransaction(
            "db", new TesseraCoordinates(true, 1, moved, 600, false), planned, N);
    assertEquals(true, race.concurrent());

    assertNull(
        TesseraTakeoverRules.refusalInTransaction(
            "db", new TesseraCoordinates(true, 1, N, 1000, false), planned, N),
        "a state that holds the target is no refusal: nothing is written");
    assertNull(
        TesseraTakeoverRules.refusalInTransaction(
            "db", new TesseraCoordinates(true, 1, planned, 400, false), planned, N));
  }
}
