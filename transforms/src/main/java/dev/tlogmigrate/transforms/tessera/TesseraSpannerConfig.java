package dev.tlogmigrate.transforms.tessera;

import com.google.auto.value.AutoValue;
import com.google.cloud.spanner.DatabaseId;
import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Tessera's GCP storage keeps its coordination state: a Spanner database
 * ({@code projects/P/instances/I/databases/D}, Tessera's {@code gcp.Config.Spanner}) and the optional
 * prefix of its table names (Tessera's {@code SpannerTablePrefix}: {@code <prefix>IntCoord}, ...).
 * Serializable: the final pipeline stage carries it to the worker that commits.
 */
@AutoValue
public abstract class TesseraSpannerConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A database resource name; the ids themselves are checked by Spanner. */
  private static final Pattern DATABASE = Pattern.compile("projects/([^/\\s]+)/instances/([^/\\s]+)/databases/([^/\\s]+)");
  /** Tessera's rule for SpannerTablePrefix. */
  private static final Pattern TABLE_PREFIX = Pattern.compile("^([A-Za-z][A-Za-z0-9_]{0,63})?$");

  /** {@code projects/P/instances/I/databases/D}. */
  public abstract String database();

  /** "" or a prefix matching {@code ^([A-Za-z][A-Za-z0-9_]{0,63})?$}. */
  public abstract String tablePrefix();

  /**
   * @param tablePrefix null or "" for Tessera's default, unprefixed table names
   * @throws IllegalArgumentException naming the flag, for a malformed name or prefix
   */
  public static TesseraSpannerConfig of(String database, String tablePrefix) {
    if (database == null || !DATABASE.matcher(database).matches()) {
      throw new IllegalArgumentException("--tesseraSpannerDatabase must be projects/PROJECT/instances/INSTANCE/databases/DATABASE, not '"
          + database + "'");
    }
    String prefix = tablePrefix == null ? "" : tablePrefix;
    if (!TABLE_PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("--tesseraSpannerTablePrefix must match ^([A-Za-z][A-Za-z0-9_]{0,63})?$ "
          + "(Tessera's rule for SpannerTablePrefix), not '" + prefix + "'");
    }
    return new AutoValue_TesseraSpannerConfig(database, prefix);
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
  public final String toString() {
    return tablePrefix().isEmpty() ? database() : database() + " (tables " + tablePrefix() + "*)";
  }
}
