package dev.tlogmigrate.transforms.tessera.mysql;

import com.google.auto.value.AutoValue;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.secret.Secret;
import dev.tlogmigrate.transforms.tessera.TesseraCoordinates;
import dev.tlogmigrate.transforms.tessera.TesseraDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.mariadb.jdbc.Driver;

/**
 * Where Tessera's AWS storage keeps its coordination state: a MySQL-compatible database (Aurora
 * MySQL, MySQL, MariaDB), Tessera's {@code aws.Config.DSN}, given as a JDBC URL {@code
 * jdbc:mariadb://host[:port]/database} or {@code jdbc:mysql://...}, with a user and password.
 * Serializable: the final pipeline stage carries it to the worker that commits, with where that
 * worker finds the password ({@link Secret}); it is never printed ({@link #toString} shows neither
 * the password nor the URL's options, where a password may be given too).
 */
@AutoValue
public abstract class TesseraMySqlConfig implements TesseraDatabase {
  private static final long serialVersionUID = 1L;

  /** The URL forms the MariaDB driver reaches MySQL and MariaDB with; the database is required. */
  private static final Pattern URL =
      Pattern.compile("jdbc:(?:mariadb|mysql)://([^/?\\s]+)/([^/?\\s]+)(\\?\\S*)?");

  /** A database name that needs no quoting. */
  private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_$]{1,64}");

  /** {@code jdbc:mariadb://host[:port]/database[?options]}, as the driver takes it. */
  abstract String url();

  abstract @Nullable String user();

  abstract @Nullable Secret password();

  /**
   * A MySQL-compatible database at a JDBC URL, as Tessera on AWS keeps its state.
   *
   * @param user null or "" when the URL's options give it (or for the driver's default)
   * @param password null when the URL's options give it, or for none
   * @throws IllegalArgumentException naming the flag, for a URL of another form
   */
  public static TesseraMySqlConfig of(
      String url, @Nullable String user, @Nullable Secret password) {
    if (url == null || !URL.matcher(url).matches()) {
      throw new IllegalArgumentException(
          "--tesseraMySqlUrl must be jdbc:mariadb://HOST[:PORT]/DATABASE or "
              + "jdbc:mysql://HOST[:PORT]/DATABASE, not '"
              + redact(url)
              + "'");
    }
    // The MariaDB driver takes jdbc:mysql: only with an option; both reach either server.
    String driverUrl = url.replaceFirst("^jdbc:mysql:", "jdbc:mariadb:");
    return new AutoValue_TesseraMySqlConfig(driverUrl, blankToNull(user), password);
  }

  /**
   * Tessera's antispam index in another database of the same server, reached with the same user,
   * password and options (as TesseraCT's {@code --antispam_db_name} is).
   *
   * @throws IllegalArgumentException naming the flag, for a name that is not a plain database name
   */
  public TesseraMySqlAntispam antispam(String database) {
    if (database == null || !DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "--antispamDatabase with --tesseraMySqlUrl must be the name of a database on the same"
              + " server ([A-Za-z0-9_$]{1,64}), not '"
              + database
              + "'");
    }
    Matcher m = URL.matcher(url());
    if (!m.matches()) {
      throw new IllegalStateException(toString());
    }
    if (m.group(2).equals(database)) {
      throw new IllegalArgumentException(
          "--antispamDatabase must be a database of its own, not the log's "
              + database
              + " (Tessera's antispam and its log keep their tables apart)");
    }
    String url =
        "jdbc:mariadb://" + m.group(1) + "/" + database + (m.group(3) == null ? "" : m.group(3));
    return TesseraMySqlAntispam.of(new AutoValue_TesseraMySqlConfig(url, user(), password()));
  }

  /** A new connection; the caller closes it. A run connects twice: the planner, the commit. */
  Connection open() throws IOException {
    Properties properties = new Properties();
    if (user() != null) {
      properties.setProperty("user", user());
    }
    if (password() != null) {
      properties.setProperty("password", password().value());
    }
    try {
      // The driver itself, not DriverManager: a worker's class loader need not see the driver.
      Connection c = new Driver().connect(url(), properties);
      if (c == null) {
        throw new IllegalStateException("the MariaDB driver does not take " + this);
      }
      return c;
    } catch (SQLException e) {
      throw new IOException(this + ": cannot connect: " + e.getMessage(), e);
    }
  }

  @Override
  public TesseraCoordinates read() throws IOException {
    return TesseraMySqlState.read(this);
  }

  @Override
  public boolean commit(@Nullable TreeState planned, TreeState target) throws IOException {
    return TesseraMySqlState.commit(this, planned, target);
  }

  @Override
  public @Nullable String refuseDestination(LogLocation destination) {
    return destination.isS3()
        ? null
        : "--tesseraMySqlUrl needs an s3:// destination: Tessera on AWS serves its log from a "
            + "bucket, not from "
            + destination;
  }

  /** The URL without its options, and the user: never the password. */
  @Override
  public final String toString() {
    return redact(url()) + (user() == null ? "" : " as " + user());
  }

  private static String redact(@Nullable String url) {
    return url == null ? "null" : url.replaceFirst("\\?.*", "").replaceFirst("//[^/@]*@", "//");
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
