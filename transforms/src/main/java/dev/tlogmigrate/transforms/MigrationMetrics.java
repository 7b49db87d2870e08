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

  /** Hash tiles compared with the source's own copy (--compareSourceTiles, verify). */
  public static final String SOURCE_TILES_COMPARED = "sourceTilesCompared";

  public static final String SOURCE_TILE_MISMATCHES = "sourceTileMismatches";

  /** A string set: one line per mismatch found (tile, or the root), up to a limit per worker. */
  public static final String MISMATCHES = "mismatches";

  /** How the line for a wrong root starts among the {@link #MISMATCHES}. */
  public static final String ROOT_MISMATCH = "checkpoint: root mismatch";

  /** Objects a failed run had left above the committed size, replaced (--replaceUncommitted). */
  public static final String UNCOMMITTED_REPLACED = "uncommittedReplaced";

  public static final String ISSUERS_COPIED = "issuersCopied";
  public static final String ISSUERS_PRESENT = "issuersAlreadyPresent";

  /** Rows a run wrote to Tessera's antispam index, and rows it found there already. */
  public static final String ANTISPAM_ROWS_WRITTEN = "antispamRowsWritten";

  public static final String ANTISPAM_ROWS_PRESENT = "antispamRowsPresent";

  private MigrationMetrics() {}

  static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }
}
