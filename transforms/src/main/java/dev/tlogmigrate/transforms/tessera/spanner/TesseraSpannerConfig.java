package dev.tlogmigrate.transforms.tessera.spanner;

import com.google.auto.value.AutoValue;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.Spanner;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.gcs.GcpAuth;
import dev.tlogmigrate.transforms.tessera.TesseraCoordinates;
import dev.tlogmigrate.transforms.tessera.TesseraDatabase;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where Tessera's GCP storage keeps its coordination state: a Spanner database ({@code
 * projects/P/instances/I/databases/D}, Tessera's {@code gcp.Config.Spanner}) and the optional
 * prefix of its table names (Tessera's {@code SpannerTablePrefix}: {@code <prefix>IntCoord}, ...).
 * Serializable: the final pipeline stage carries it to the worker that commits, with how to reach
 * Spanner (an emulator's host, as Beam's {@code SpannerConfig.withEmulatorHost}, or Google's with
 * the run's {@link GcpAuth}).
 */
@AutoValue
public abstract class TesseraSpannerConfig implements TesseraDatabase {
  private static final long serialVersionUID = 1L;

  /** A database resource name; the ids themselves are checked by Spanner. */
  private static final Pattern DATABASE =
      Pattern.compile("projects/([^/\\s]+)/instances/([^/\\s]+)/databases/([^/\\s]+)");

  /** Tessera's rule for SpannerTablePrefix. */
  private static final Pattern TABLE_PREFIX = Pattern.compile("^([A-Za-z][A-Za-z0-9_]{0,63})?$");

  /** {@code projects/P/instances/I/databases/D}. */
  public abstract String database();

  /** "" or a prefix matching {@code ^([A-Za-z][A-Za-z0-9_]{0,63})?$}. */
  public abstract String tablePrefix();

  /** {@code host:port} of a Cloud Spanner emulator, or null for Google's Spanner. */
  public abstract @Nullable String emulatorHost();

  public abstract GcpAuth auth();

  /**
   * Whether the Spanner client exports its own metrics to Cloud Monitoring (never from an
   * emulator's client); off unless the run asks ({@link SpannerClients}).
   */
  public abstract boolean clientTelemetry();

  /**
   * A database of Google's Spanner, reached with the default credentials.
   *
   * @param tablePrefix null or "" for Tessera's default, unprefixed table names
   * @throws IllegalArgumentException naming the flag, for a malformed name or prefix
   */
  public static TesseraSpannerConfig of(String database, String tablePrefix) {
    if (database == null || !DATABASE.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "--tesseraSpannerDatabase must be projects/PROJECT/instances/INSTANCE/databases/DATABASE, not '"
              + database
              + "'");
    }
    String prefix = tablePrefix == null ? "" : tablePrefix;
    if (!TABLE_PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "--tesseraSpannerTablePrefix must match ^([A-Za-z][A-Za-z0-9_]{0,63})?$ "
              + "(Tessera's rule for SpannerTablePrefix), not '"
              + prefix
              + "'");
    }
    return new AutoValue_TesseraSpannerConfig(database, prefix, null, GcpAuth.DEFAULT, false);
  }

  /**
   * The same database reached at {@code emulatorHost} (null: Google's Spanner) with {@code auth}.
   */
  public TesseraSpannerConfig withAccess(@Nullable String emulatorHost, GcpAuth auth) {
    return new AutoValue_TesseraSpannerConfig(
        database(),
        tablePrefix(),
        emulatorHost == null || emulatorHost.isBlank() ? null : emulatorHost,
        auth,
        clientTelemetry());
  }

  /** The same database, its client exporting its metrics to Cloud Monitoring or not. */
  public TesseraSpannerConfig withClientTelemetry(boolean on) {
    return new AutoValue_TesseraSpannerConfig(
        database(), tablePrefix(), emulatorHost(), auth(), on);
  }

  /**
   * Tessera's antispam index in another database ({@code projects/P/instances/I/databases/D}),
   * reached as this one is.
   *
   * @throws IllegalArgumentException naming the flag, for a malformed name
   */
  public TesseraSpannerAntispam antispam(String database) {
    if (database == null || !DATABASE.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "--antispamDatabase with --tesseraSpannerDatabase must be"
              + " projects/PROJECT/instances/INSTANCE/databases/DATABASE, not '"
              + database
              + "'");
    }
    if (database.equals(database())) {
      throw new IllegalArgumentException(
          "--antispamDatabase must be a database of its own, not the log's "
              + database
              + " (Tessera's antispam and its log keep their tables apart)");
    }
    return TesseraSpannerAntispam.of(database, this);
  }

  /**
   * A new client; the caller closes it. A run uses Spanner twice (the planner's read, the commit's
   * transaction), so there is no client to share.
   */
  public Spanner open() {
    return SpannerClients.open(database(), project(), emulatorHost(), auth(), clientTelemetry());
  }

  public String project() {
    return part(1);
  }

  public DatabaseId databaseId() {
    return DatabaseId.of(part(1), part(2), part(3));
  }

  /** The name of one of Tessera's tables in this database: the prefix, then Tessera's name. */
  public String table(String name) {
    return tablePrefix() + name;
  }

  private String part(int group) {
    Matcher m = DATABASE.matcher(database());
    if (!m.matches()) {
      throw new IllegalStateException(database());
    }
    return m.group(group);
  }

  @Override
  public TesseraCoordinates read() throws IOException {
    return TesseraSpannerState.read(this);
  }

  @Override
  public boolean commit(@Nullable TreeState planned, TreeState target) throws IOException {
    return TesseraSpannerState.commit(this, planned, target);
  }

  @Override
  public @Nullable String refuseDestination(LogLocation destination) {
    return destination.isGcs()
        ? null
        : "--tesseraSpannerDatabase needs a gs:// destination: Tessera on Google Cloud serves "
            + "its log from a bucket, not from "
            + destination;
  }

  @Override
  public final String toString() {
    return tablePrefix().isEmpty() ? database() : database() + " (tables " + tablePrefix() + "*)";
  }
}
