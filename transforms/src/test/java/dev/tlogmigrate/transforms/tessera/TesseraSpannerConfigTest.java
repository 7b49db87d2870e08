package dev.tlogmigrate.transforms.tessera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TreeState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The Spanner configuration and the checks that need no database (the emulator-backed tests are
 * TesseraSpannerStateTest and TesseraSpannerMigrationTest in the launcher module).
 */
class TesseraSpannerConfigTest {
  private static final String DB = "projects/my-project/instances/my-log/databases/my-log";
  private static final TreeState N = new TreeState(1000, Rfc6962.sha256().digest(new byte[] {1}));

  @Test
  void namesAndPrefixesAreCheckedNamingTheFlag() {
    TesseraSpannerConfig c = TesseraSpannerConfig.of(DB, "Tenant_1");
    assertEquals("my-project", c.project());
    assertEquals("my-log", c.databaseId().getDatabase());
    assertEquals("my-log", c.databaseId().getInstanceId().getInstance());
    assertEquals("Tenant_1IntCoord", c.table("IntCoord"));
    assertEquals("", TesseraSpannerConfig.of(DB, null).tablePrefix());
    assertEquals(DB, TesseraSpannerConfig.of(DB, "").toString());

    for (String bad :
        new String[] {
          "projects/p/instances/i",
          "my-log",
          "projects/p/instances/i/databases/",
          "projects//instances/i/databases/d"
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> TesseraSpannerConfig.of(bad, ""));
      assertTrue(e.getMessage().contains("--tesseraSpannerDatabase"), e.getMessage());
    }
    for (String bad : new String[] {"1abc", "_x", "a-b", "a".repeat(65), "a b"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> TesseraSpannerConfig.of(DB, bad));
      assertTrue(e.getMessage().contains("--tesseraSpannerTablePrefix"), e.getMessage());
    }
    assertEquals("a".repeat(64), TesseraSpannerConfig.of(DB, "a".repeat(64)).tablePrefix());
  }

  @Test
  void theConfigTravelsToWorkers() throws Exception {
    TesseraSpannerConfig c = TesseraSpannerConfig.of(DB, "T_");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(c, in.readObject());
    }
  }

  @Test
  void theSchemaIsTesserasWithThePrefix() {
    assertEquals(6, TesseraSpannerSchema.createTables("P_").size());
    assertTrue(
        TesseraSpannerSchema.createTables("P_")
            .get(3)
            .equals(
                "CREATE TABLE IF NOT EXISTS P_IntCoord (id INT64 NOT NULL, seq INT64 NOT NULL, rootHash BYTES(32)) PRIMARY KEY (id)"));
    assertEquals(
        "ALTER TABLE PubCoord ADD COLUMN IF NOT EXISTS size INT64",
        TesseraSpannerSchema.addPubCoordSize(""));
    assertEquals(5, TesseraSpannerSchema.initialRows("").size());
    assertEquals(1, TesseraSpannerSchema.COMPATIBILITY_VERSION);
  }

  @Test
  void refusalsNeedNoTransaction() {
    TesseraSpannerConfig c = TesseraSpannerConfig.of(DB, "");
    TreeState other = new TreeState(1000, Rfc6962.sha256().digest(new byte[] {2}));
    assertNull(
        TesseraSpannerState.refusal(
            c, new TesseraSpannerState.Snapshot(true, 1, TesseraSpannerState.EMPTY, 0, false), N));
    assertNull(
        TesseraSpannerState.refusal(c, new TesseraSpannerState.Snapshot(true, 1, N, 0, false), N),
        "Tessera's migration tool leaves SeqCoord.next behind IntCoord: completed, not refused");
    assertTrue(
        TesseraSpannerState.refusal(
                c,
                new TesseraSpannerState.Snapshot(
                    true, 1, new TreeState(1001, N.root()), 1001, false),
                N)
            .contains("ahead of the source checkpoint's 1000"));
    assertTrue(
        TesseraSpannerState.refusal(
                c, new TesseraSpannerState.Snapshot(true, 1, other, 1000, false), N)
            .contains("split view"));
    assertTrue(
        TesseraSpannerState.refusal(
                c,
                new TesseraSpannerState.Snapshot(true, 1, TesseraSpannerState.EMPTY, 3, false),
                N)
            .contains("not quiescent"));
    assertTrue(
        TesseraSpannerState.refusal(
                c, new TesseraSpannerState.Snapshot(true, 1, TesseraSpannerState.EMPTY, 0, true), N)
            .contains("not quiescent"));
    assertTrue(
        TesseraSpannerState.refusal(
                c,
                new TesseraSpannerState.Snapshot(true, 2, TesseraSpannerState.EMPTY, 0, false),
                N)
            .contains("compatibilityVersion is 2"));
    assertTrue(
        TesseraSpannerState.refusal(
                c,
                new TesseraSpannerState.Snapshot(true, 1, new TreeState(0, N.root()), 0, false),
                N)
            .contains("not the empty tree's"));
  }
}
