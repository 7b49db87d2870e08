package dev.tlogmigrate.transforms.location;

import com.google.auto.value.AutoValue;
import dev.tlogmigrate.transforms.storage.DiscardStorage;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.directory.DirectoryStorage;
import dev.tlogmigrate.transforms.storage.gcs.GcsConnection;
import dev.tlogmigrate.transforms.storage.gcs.GcsStorage;
import dev.tlogmigrate.transforms.storage.http.HttpSettings;
import dev.tlogmigrate.transforms.storage.http.HttpStorage;
import dev.tlogmigrate.transforms.storage.s3.S3Connection;
import dev.tlogmigrate.transforms.storage.s3.S3Storage;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A log's location, as given on the command line: a local directory, a {@code file:} URL, an {@code
 * http(s)://} prefix, a {@code gs://bucket[/prefix]} or an {@code s3://bucket[/prefix]}.
 * Serializable, so DoFns carry it and open storage in {@code @Setup}.
 */
@AutoValue
public abstract class LogLocation implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The normalised location: an absolute directory path, or a URL prefix ending with '/' (for a
   * bucket {@code gs://bucket/} or {@code gs://bucket/prefix/}, likewise {@code s3://}).
   */
  public abstract String uri();

  /** How an HTTP location is read; ignored by the others. */
  public abstract HttpSettings http();

  /** How a {@code gs://} location reaches GCS; null for any other location. */
  public abstract @Nullable GcsConnection gcs();

  /** How an {@code s3://} location reaches S3; null for any other location. */
  public abstract @Nullable S3Connection s3();

  /** This location, read over HTTP with these settings. */
  public LogLocation withHttp(HttpSettings http) {
    return new AutoValue_LogLocation(uri(), http, gcs(), s3());
  }

  /**
   * The same location reached through {@code connection} if it is in GCS; any other location as it
   * is.
   */
  public LogLocation withGcs(GcsConnection connection) {
    return isGcs() ? new AutoValue_LogLocation(uri(), http(), connection, s3()) : this;
  }

  /**
   * The same location reached through {@code connection} if it is in S3; any other location as it
   * is.
   */
  public LogLocation withS3(S3Connection connection) {
    return isS3() ? new AutoValue_LogLocation(uri(), http(), gcs(), connection) : this;
  }

  /**
   * Whether this is a directory on the machine that opens it, which remote workers do not share.
   */
  public boolean isLocal() {
    return !isHttp() && !isGcs() && !isS3() && !isDiscard();
  }

  public static LogLocation of(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("empty log location");
    }
    if (location.startsWith("http://") || location.startsWith("https://")) {
      URI uri = URI.create(location.endsWith("/") ? location : location + "/");
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("no host in " + location);
      }
      return new AutoValue_LogLocation(uri.toString(), HttpSettings.defaults(), null, null);
    }
    if (location.startsWith(GcsStorage.SCHEME)) {
      return new AutoValue_LogLocation(
          GcsStorage.normalise(location), HttpSettings.defaults(), GcsConnection.DEFAULT, null);
    }
    if (location.startsWith(S3Storage.SCHEME)) {
      return new AutoValue_LogLocation(
          S3Storage.normalise(location), HttpSettings.defaults(), null, S3Connection.DEFAULT);
    }
    if (location.startsWith("file:")) {
      return new AutoValue_LogLocation(
          Path.of(URI.create(location)).toAbsolutePath().normalize().toString(),
          HttpSettings.defaults(),
          null,
          null);
    }
    if (location.matches("^[a-z][a-z0-9+.-]*://.*")) {
      throw new IllegalArgumentException("unsupported location scheme: " + location);
    }
    return new AutoValue_LogLocation(
        Path.of(location).toAbsolutePath().normalize().toString(),
        HttpSettings.defaults(),
        null,
        null);
  }

  /** Where a verification writes: nowhere ({@link DiscardStorage}). */
  public static LogLocation discard() {
    return new AutoValue_LogLocation(DiscardStorage.URI, HttpSettings.defaults(), null, null);
  }

  public boolean isDiscard() {
    return uri().equals(DiscardStorage.URI);
  }

  public boolean isHttp() {
    return uri().startsWith("http://") || uri().startsWith("https://");
  }

  public boolean isGcs() {
    return uri().startsWith(GcsStorage.SCHEME);
  }

  public boolean isS3() {
    return uri().startsWith(S3Storage.SCHEME);
  }

  /** Whether this is a bucket (GCS or S3): no lock file, conditional writes keep runs apart. */
  public boolean isBucket() {
    return isGcs() || isS3();
  }

  public LogStorage open() {
    if (isDiscard()) {
      return new DiscardStorage();
    }
    if (isGcs()) {
      return GcsStorage.open(uri(), gcs());
    }
    if (isS3()) {
      return S3Storage.open(uri(), s3());
    }
    return isHttp()
        ? new HttpStorage(URI.create(uri()), http())
        : new DirectoryStorage(Path.of(uri()));
  }

  /**
   * Where a path of this location lives, for messages, without opening it: as its store's {@link
   * LogStorage#describe} says it.
   */
  public String describe(String path) {
    return isLocal() ? Path.of(uri()).resolve(path).toString() : uri() + path;
  }

  @Override
  public final String toString() {
    return uri();
  }
}
