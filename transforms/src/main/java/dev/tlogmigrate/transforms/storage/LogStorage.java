package dev.tlogmigrate.transforms.storage;

import java.io.IOException;
import java.util.Optional;

/** Where a log's resources live: a directory or a URL prefix. Paths are tlog-tiles paths. */
public interface LogStorage extends AutoCloseable {
  /**
   * Reads a resource; empty when it does not exist. A resource larger than {@code maxBytes} is an
   * {@link dev.tlogmigrate.transforms.format.InvalidLogException}: no valid resource is that large.
   */
  Optional<byte[]> read(String path, int maxBytes) throws IOException;

  /**
   * Replaces a resource atomically: a reader sees the old content or the new, never a mix. It is
   * durable once {@link #flush} returns.
   */
  void write(String path, byte[] data) throws IOException;

  /** Makes every write so far durable. The tree state may only point at resources flushed. */
  default void flush() throws IOException {}

  /** Removes a resource if present. */
  void delete(String path) throws IOException;

  /** Where a path lives, for messages: a file name or a URL. */
  String describe(String path);

  /** Number of requests retried so far, for the metrics. */
  default long retries() {
    return 0;
  }

  @Override
  default void close() throws IOException {}
}
