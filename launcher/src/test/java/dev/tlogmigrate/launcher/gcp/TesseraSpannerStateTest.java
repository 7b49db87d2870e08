package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseId;
import dev.tlogmigrate.launcher.tessera.TesseraDatabaseContract;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.tessera.TesseraDatabase;
import dev.tlogmigrate.transforms.tessera.spanner.TesseraSpannerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Spanner side of the take-over against the real Cloud Spanner emulator: the contract of every
 * Tessera database ({@link TesseraDatabaseContract}), on tables Tessera made under a table prefix,
 * and the schema Tessera creates.
 */
class TesseraSpannerStateTest extends TesseraDatabaseContract<TesseraSpannerConfig> {
  @RegisterExtension static final SpannerEmulator SPANNER = new SpannerEmulator();

  /** The tables of the databases Tessera made here: one of several logs in a database. */
  private static final String PREFIX = "Log1_";

  TesseraSpannerStateTest() {
    super("Spanner");
  }

  @Override
  protected TesseraSpannerConfig fresh() throws Exception {
    return SPANNER.config(SPANNER.newDatabase(), "");
  }

  /** Tessera's DDL, and the rows its initDB inserts: an empty tree, never published. */
  @Override
  protected TesseraSpannerConfig tessera() throws Exception {
    TesseraSpannerConfig config =
        SPANNER.config(SPANNER.newDatabase(TesseraRows.tesseraDdl(PREFIX)), PREFIX);
    set(config, new Coordination(1, 0, 0, Rfc6962.emptyRoot(), 0, 0, 0));
    return config;
  }

  @Override
  protected TesseraDatabase database(TesseraSpannerConfig config) {
    return config;
  }

  private static TesseraRows tesseraRows(TesseraSpannerConfig config) {
    return new TesseraRows(SPANNER.client(config.database()), config.tablePrefix());
  }

  @Override
  protected void set(TesseraSpannerConfig config, Coordination c) {
    Timestamp published = Timestamp.ofTimeSecondsAndNanos(c.published(), 0);
    tesseraRows(config)
        .set(c.version(), c.next(), c.size(), c.root(), published, c.pubSize(), c.gcFrom());
  }

  @Override
  protected void addSeq(TesseraSpannerConfig config, long seq, byte[] v) {
    tesseraRows(config).addSeq(seq, v);
  }

  @Override
  protected List<String> rows(TesseraSpannerConfig config) {
    return tesseraRows(config).dump();
  }

  @Override
  protected String publishedAt(long unixSeconds) {
    return Timestamp.ofTimeSecondsAndNanos(unixSeconds, 0).toString();
  }

  @Test
  void theSchemaIsTheOneTesseraCreates() throws Exception {
    for (String prefix : List.of("", "Tenant_1")) {
      TesseraSpannerConfig ours = SPANNER.config(SPANNER.newDatabase(), prefix);
      ours.commit(null, N);
      String tesseras = SPANNER.newDatabase(TesseraRows.tesseraDdl(prefix));

      assertEquals(ddl(tesseras), ddl(ours.database()), "prefix '" + prefix + "'");
      assertEquals(6, ddl(tesseras).size());
    }
  }

  private static List<String> ddl(String database) {
    DatabaseId id = DatabaseId.of(database);
    return SPANNER
        .spanner()
        .getDatabaseAdminClient()
        .getDatabaseDdl(id.getInstanceId().getInstance(), id.getDatabase());
  }
}
