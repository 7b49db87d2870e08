package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import dev.tlogmigrate.transforms.tessera.TesseraCoordinates;
import dev.tlogmigrate.transforms.tessera.spanner.TesseraSpannerConfig;
import dev.tlogmigrate.transforms.tessera.spanner.TesseraSpannerState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Spanner side of the take-over against the real Cloud Spanner emulator: the schema and rows
 * Tessera creates, and the one transaction that checks IntCoord and sets IntCoord and SeqCoord,
 * refusing (and writing nothing) where the verified tree does not extend what Tessera holds.
 */
class TesseraSpannerStateTest {
  @RegisterExtension static final SpannerEmulator SPANNER = new SpannerEmulator();

  private static final TreeState S = new TreeState(300, root("three hundred"));
  private static final TreeState N = new TreeState(1000, root("a thousand"));
  private static final Timestamp PUBLISHED = Timestamp.parseTimestamp("2025-06-01T12:00:00Z");

  @Test
  void aFreshDatabaseGetsTesserasTablesRowsAndTheTakeoverState() throws Exception {
    TesseraSpannerConfig config = SPANNER.config(SPANNER.newDatabase(), "");
    TesseraCoordinates before = TesseraSpannerState.read(config);
    assertFalse(before.initialised());
    assertEquals(TesseraCoordinates.EMPTY, before.integrated());

    assertTrue(TesseraSpannerState.commit(config, null, N));

    assertEquals(
        List.of(
            "Tessera(0,1)",
            "SeqCoord(0,1000)",
            TesseraRows.intCoord(1000, N.rootBase64()),
            "PubCoord(0,1970-01-01T00:00:00Z,0)",
            "GCCoord(0,0)"),
        rows(config));
    assertTrue(TesseraSpannerState.read(config).holds(N));
    assertFalse(TesseraSpannerState.commit(config, null, N), "a re-run writes nothing");
  }

  @Test
  void theSchemaIsTheOneTesseraCreates() throws Exception {
    for (String prefix : List.of("", "Tenant_1")) {
      TesseraSpannerConfig ours = SPANNER.config(SPANNER.newDatabase(), prefix);
      TesseraSpannerState.commit(ours, null, N);
      String tesseras = SPANNER.newDatabase(TesseraRows.tesseraDdl(prefix));

      assertEquals(ddl(tesseras), ddl(ours.database()), "prefix '" + prefix + "'");
      assertEquals(6, ddl(tesseras).size());
    }
  }

  private static List<String> ddl(String database) {
    com.google.cloud.spanner.DatabaseId id = com.google.cloud.spanner.DatabaseId.of(database);
    return SPANNER
        .spanner()
        .getDatabaseAdminClient()
        .getDatabaseDdl(id.getInstanceId().getInstance(), id.getDatabase());
  }

  @Test
  void tablesTesseraCreatedAreKeptAndOnlyIntCoordAndSeqCoordMove() throws Exception {
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl("Log1_"));
    TesseraSpannerConfig config = SPANNER.config(db, "Log1_");
    new TesseraRows(SPANNER.client(db), "Log1_")
        .set(1, S.size(), S.size(), S.root(), PUBLISHED, S.size(), 256);

    assertTrue(TesseraSpannerState.commit(config, S, N));

    assertEquals(
        List.of(
            "Tessera(0,1)",
            "SeqCoord(0,1000)",
            TesseraRows.intCoord(1000, N.rootBase64()),
            "PubCoord(0,2025-06-01T12:00:00Z,300)",
            "GCCoord(0,256)"),
        rows(config));
  }

  @Test
  void whatTesserasOwnMigrationLeavesGetsSeqCoordSet() throws Exception {
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    TesseraSpannerConfig config = SPANNER.config(db, "");
    // Tessera's migration tool integrates to N and never touches SeqCoord: an appender would reuse
    // 0, 1, ...
    new TesseraRows(SPANNER.client(db), "")
        .set(1, 0, N.size(), N.root(), Timestamp.ofTimeSecondsAndNanos(0, 0), 0, 0);

    assertTrue(TesseraSpannerState.commit(config, N, N));

    assertTrue(rows(config).contains("SeqCoord(0,1000)"), rows(config).toString());
  }

  @Test
  void aDatabaseAheadOfTheSourceIsRefusedAndLeftAlone() throws Exception {
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    TesseraSpannerConfig config = SPANNER.config(db, "");
    new TesseraRows(SPANNER.client(db), "").set(1, 1001, 1001, root("ahead"), PUBLISHED, 1001, 768);
    List<String> before = rows(config);

    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> TesseraSpannerState.commit(config, S, N));

    assertTrue(
        e.getMessage().contains("IntCoord is at size 1001, ahead of the source checkpoint's 1000"),
        e.getMessage());
    assertTrue(e.getMessage().contains("nothing written to Spanner"), e.getMessage());
    assertEquals(before, rows(config));
  }

  @Test
  void anotherRootAtTheSameSizeIsRefusedAndLeftAlone() throws Exception {
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    TesseraSpannerConfig config = SPANNER.config(db, "");
    new TesseraRows(SPANNER.client(db), "").set(1, 1000, 1000, root("fork"), PUBLISHED, 1000, 768);
    List<String> before = rows(config);

    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> TesseraSpannerState.commit(config, S, N));

    assertTrue(e.getMessage().contains("split view at size 1000"), e.getMessage());
    assertEquals(before, rows(config));
  }

  @Test
  void aSmallerTreeTheVerifiedTreeDoesNotExtendIsRefusedAndLeftAlone() throws Exception {
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    TesseraSpannerConfig config = SPANNER.config(db, "");
    new TesseraRows(SPANNER.client(db), "")
        .set(1, 300, 300, root("another log"), PUBLISHED, 300, 256);
    List<String> before = rows(config);

    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> TesseraSpannerState.commit(config, S, N));

    assertTrue(
        e.getMessage().contains("IntCoord at size 300 has root " + b64(root("another log"))),
        e.getMessage());
    assertEquals(before, rows(config));
  }

  @Test
  void aDatabaseThatMovedSinceThePlanIsRefusedAsAConcurrentWriter() throws Exception {
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    TesseraSpannerConfig config = SPANNER.config(db, "");
    new TesseraRows(SPANNER.client(db), "")
        .set(1, 500, 500, root("five hundred"), PUBLISHED, 500, 256);
    List<String> before = rows(config);

    assertThrows(PreconditionFailedException.class, () -> TesseraSpannerState.commit(config, S, N));
    assertEquals(before, rows(config));
  }

  @Test
  void entriesSequencedButNotIntegratedAreRefused() throws Exception {
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    TesseraSpannerConfig config = SPANNER.config(db, "");
    TesseraRows tessera = new TesseraRows(SPANNER.client(db), "");
    tessera.set(1, 302, 300, S.root(), PUBLISHED, 300, 256);
    tessera.addSeq(300, new byte[] {1, 2, 3});
    List<String> before = rows(config);

    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> TesseraSpannerState.commit(config, S, N));

    assertTrue(e.getMessage().contains("not quiescent"), e.getMessage());
    assertEquals(before, rows(config));
  }

  @Test
  void anotherCompatibilityVersionIsRefused() throws Exception {
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    TesseraSpannerConfig config = SPANNER.config(db, "");
    new TesseraRows(SPANNER.client(db), "").set(2, 300, 300, S.root(), PUBLISHED, 300, 256);

    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> TesseraSpannerState.commit(config, S, N));
    assertTrue(e.getMessage().contains("compatibilityVersion is 2"), e.getMessage());
  }

  @Test
  void anEmptyTesseraLogIsExtendedWhateverWasPlanned() throws Exception {
    String db = SPANNER.newDatabase(TesseraRows.tesseraDdl(""));
    TesseraSpannerConfig config = SPANNER.config(db, "");
    new TesseraRows(SPANNER.client(db), "").set(1, 0, 0, Rfc6962.emptyRoot(), PUBLISHED, 0, 0);

    assertTrue(TesseraSpannerState.commit(config, S, N));
    assertTrue(rows(config).contains(TesseraRows.intCoord(1000, N.rootBase64())));
  }

  private static List<String> rows(TesseraSpannerConfig config) {
    return new TesseraRows(SPANNER.client(config.database()), config.tablePrefix()).dump();
  }

  private static byte[] root(String s) {
    return Rfc6962.sha256().digest(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] b) {
    return java.util.Base64.getEncoder().encodeToString(b);
  }
}
