package dev.tlogmigrate.transforms.storage;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;

/**
 * A log's location, as given on the command line: a local directory, a {@code file:} URL, an
 * {@code http(s)://} prefix or a {@code gs://bucket[/prefix]}. Serializable, so DoFns carry it and
 * open storage in {@code @Setup}.
 */
@AutoValue
public abstract class LogLocation implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The normalised location: an absolute directory path, or a URL prefix ending with '/' (for GCS
   * {@code gs://bucket/} or {@code gs://bucket/prefix/}).
   */
  public abstract String uri();

  /** How an HTTP location is read; ignored by the others. */
  public abstract HttpSettings http();

  /** This location, read over HTTP with these settings. */
  public LogLocation withHttp(HttpSettings http) {
    return new AutoValue_LogLocation(uri(), http);
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
      return new AutoValue_LogLocation(uri.toString(), HttpSettings.defaults());
    }
    if (location.startsWith(GcsStorage.SCHEME)) {
      return new AutoValue_LogLocation(GcsStorage.normalise(location), HttpSettings.defaults());
    }
    if (location.startsWith("file:")) {
      return new AutoValue_LogLocation(Path.of(URI.create(location)).toAbsolutePath().normalize().toString(), HttpSettings.defaults());
    }
    if (location.matches("^[a-z][a-z0-9+.-]*://.*")) {
      throw new IllegalArgumentException("unsupported location scheme: " + location);
    }
    return new AutoValue_LogLocation(Path.of(location).toAbsolutePath().normalize().toString(), HttpSettings.defaults());
  }

  public boolean isHttp() {
    return uri().startsWith("http://") || uri().startsWith("https://");
  }

  public boolean isGcs() {
    return uri().startsWith(GcsStorage.SCHEME);
  }

  public LogStorage open() {
    if (isGcs()) {
      return GcsStorage.open(uri());
    }
    return isHttp() ? new HttpStorage(URI.create(uri()), http()) : new DirectoryStorage(Path.of(uri()));
  }

  @Override
  public final String toString() {
    return uri();
  }
}
