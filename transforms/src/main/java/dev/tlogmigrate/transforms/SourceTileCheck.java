package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.format.TileComparison;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.storage.LogStorage;
import java.io.IOException;
import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.StringSet;

/**
 * With {@link MigrationSpec#compareSourceTiles()}: reads the source's own copy of each hash tile
 * the run rebuilds and reports any that differs, as a counter and, up to {@link #LISTED} per DoFn
 * instance, as lines in the {@value MigrationMetrics#MISMATCHES} metric that the launcher prints. A
 * mismatch does not stop the run: an audit lists all it finds.
 */
final class SourceTileCheck implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Mismatch lines one DoFn instance reports at most; the counter counts all. */
  static final int LISTED = 100;

  private final Counter mismatches =
      MigrationMetrics.counter(MigrationMetrics.SOURCE_TILE_MISMATCHES);
  private final Counter compared = MigrationMetrics.counter(MigrationMetrics.SOURCE_TILES_COMPARED);
  private final StringSet listed =
      Metrics.stringSet(MigrationMetrics.NAMESPACE, MigrationMetrics.MISMATCHES);
  private transient int reported;

  /** The mismatch line for the source's copy of a rebuilt tile, or null: on any thread. */
  static String compare(LogStorage source, TilePath path, byte[] rebuilt) throws IOException {
    byte[] served = source.read(path.path(), Tiles.FULL_TILE_BYTES).orElse(null);
    return TileComparison.mismatch(source.describe(path.path()), path, rebuilt, served);
  }

  /** Counts a comparison and reports its mismatch, if any: on the DoFn's own thread (metrics). */
  void record(String mismatch) {
    compared.inc();
    if (mismatch != null) {
      mismatches.inc();
      report(mismatch);
    }
  }

  /** Lists a mismatch (a tile's, or one found by another check: the root), if any. */
  void report(String mismatch) {
    if (mismatch != null && reported++ < LISTED) {
      listed.add(mismatch);
    }
  }
}
