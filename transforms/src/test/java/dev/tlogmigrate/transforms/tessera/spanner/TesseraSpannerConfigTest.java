package dev.tlogmigrate.transforms.tessera.spanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The Spanner configuration and schema (the emulator-backed tests are TesseraSpannerStateTest and
 * TesseraSpannerMigrationTest in the launcher module; the take-over's checks
 * TesseraTakeoverRulesTest).
 */
class TesseraSpannerConfigTest {
  private static final String DB = "projects/my-project/instances/my-log/databases/my-log";

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
  }
}
