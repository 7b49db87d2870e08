package dev.tlogmigrate.launcher;

import dev.tlogmigrate.transforms.storage.gcs.GcpAuth;
import dev.tlogmigrate.transforms.tessera.TesseraAntispam;
import dev.tlogmigrate.transforms.tessera.TesseraDatabase;
import dev.tlogmigrate.transforms.tessera.mysql.TesseraMySqlConfig;
import dev.tlogmigrate.transforms.tessera.spanner.TesseraSpannerConfig;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** The database of the Tessera deployment that takes the destination over, from the options. */
final class TesseraDatabases {
  private TesseraDatabases() {}

  /** Tessera on Google Cloud (Spanner) or on AWS (MySQL); null when there is no take-over. */
  static @Nullable TesseraDatabase from(MigrateOptions options) throws IOException {
    boolean spanner = isSet(options.getTesseraSpannerDatabase());
    boolean mySql = isSet(options.getTesseraMySqlUrl());
    if (spanner && mySql) {
      throw new IllegalArgumentException(
          "--tesseraSpannerDatabase (Tessera on Google Cloud) and --tesseraMySqlUrl (Tessera on AWS)"
              + " exclude each other: a log has one Tessera deployment");
    }
    if (!spanner && isSet(options.getTesseraSpannerTablePrefix())) {
      throw new IllegalArgumentException(
          "--tesseraSpannerTablePrefix needs --tesseraSpannerDatabase");
    }
    if (!mySql
        && (isSet(options.getTesseraMySqlUser())
            || isSet(options.getTesseraMySqlPassword())
            || isSet(options.getTesseraMySqlPasswordFile())
            || isSet(options.getTesseraMySqlPasswordEnv()))) {
      throw new IllegalArgumentException(
          "--tesseraMySqlUser and --tesseraMySqlPassword(File, Env) need --tesseraMySqlUrl");
    }
    if (mySql) {
      return TesseraMySqlConfig.of(
          options.getTesseraMySqlUrl(),
          options.getTesseraMySqlUser(),
          SecretOptions.of(
              "tesseraMySqlPassword",
              options.getTesseraMySqlPassword(),
              options.getTesseraMySqlPasswordFile(),
              options.getTesseraMySqlPasswordEnv(),
              RunSetup.remoteWorkers(options)));
    }
    if (!spanner) {
      return null;
    }
    String emulator =
        options.getSpannerEmulatorHost() != null
            ? options.getSpannerEmulatorHost()
            : System.getenv("SPANNER_EMULATOR_HOST");
    return TesseraSpannerConfig.of(
            options.getTesseraSpannerDatabase(), options.getTesseraSpannerTablePrefix())
        .withAccess(emulator, GcpAuth.from(options))
        .withClientTelemetry(options.getSpannerClientTelemetry());
  }

  /**
   * Tessera's antispam index next to {@code tessera} (--antispamDatabase), reached as it is; null
   * when the run fills none.
   */
  static @Nullable TesseraAntispam antispam(
      MigrateOptions options, @Nullable TesseraDatabase tessera) {
    String name = options.getAntispamDatabase();
    if (!isSet(name)) {
      return null;
    }
    if (tessera instanceof TesseraSpannerConfig spanner) {
      return spanner.antispam(name);
    }
    if (tessera instanceof TesseraMySqlConfig mySql) {
      return mySql.antispam(name);
    }
    throw new IllegalArgumentException(
        "--antispamDatabase needs --tesseraSpannerDatabase or --tesseraMySqlUrl: the antispam index"
            + " belongs to the Tessera deployment that takes the log over");
  }

  private static boolean isSet(String value) {
    return SecretOptions.isSet(value);
  }
}
