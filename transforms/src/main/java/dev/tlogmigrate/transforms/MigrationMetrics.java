package dev.tlogmigrate.transforms;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/** The counters a user watches while a migration runs (in the Dataflow UI, or printed locally). */
public final class MigrationMetrics {
  public static final String NAMESPACE = "tlog-migrate";
  public static final String BUNDLES = "bundles";
  public static final String ENTRIES = "entries";
  public static final String BYTES_READ = "bytesRead";
  public static final String BYTES_WRITTEN = "bytesWritten";
  public static final String TILES_WRITTEN = "tilesWritten";
  public static final String RETRIES = "retries";
  public static final String FALLBACKS = "partialFallbacks";
  /** Entry tiles over LargeReads.SMALL_BYTES: each waited for admission to the large-tile gate. */
  public static final String LARGE_TILES = "largeTiles";
  public static final String ISSUERS_COPIED = "issuersCopied";
  public static final String ISSUERS_PRESENT = "issuersAlreadyPresent";

  private MigrationMetrics() {}

  static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }
}
