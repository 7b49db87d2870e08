package dev.tlogmigrate.launcher;

import dev.tlogmigrate.transforms.MigrationMetrics;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import java.io.PrintStream;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;

/**
 * What a run found wrong in what the source serves: its hash tiles, and for a verification its
 * root.
 */
record SourceMismatches(long tilesCompared, long tileMismatches, Set<String> listed) {

  static SourceMismatches of(PipelineResult result) {
    MetricValues m = MetricValues.of(result);
    return new SourceMismatches(
        m.get(MigrationMetrics.SOURCE_TILES_COMPARED),
        m.get(MigrationMetrics.SOURCE_TILE_MISMATCHES),
        m.strings(MigrationMetrics.MISMATCHES));
  }

  boolean any() {
    return tileMismatches > 0 || !listed.isEmpty();
  }

  /**
   * Prints the hash tiles compared and every mismatch listed; fails, after them, if there is any.
   */
  void printAndFail(PrintStream out, String context) {
    out.printf(
        "compared %d hash tiles with the source's: %d differ%n", tilesCompared, tileMismatches);
    if (!any()) {
      return;
    }
    for (String line : listed) {
      out.println("  " + line);
    }
    boolean wrongRoot =
        listed.stream().anyMatch(line -> line.startsWith(MigrationMetrics.ROOT_MISMATCH));
    long tilesListed = (long) listed.size() - (wrongRoot ? 1 : 0);
    if (tileMismatches > tilesListed) {
      out.printf(
          "  (and %d more: each worker lists at most the first 100)%n",
          tileMismatches - tilesListed);
    }
    String what =
        tileMismatches == 0
            ? "a wrong root"
            : tileMismatches + " hash tiles that differ" + (wrongRoot ? " and a wrong root" : "");
    throw new InvalidLogException(context + " " + what + " (listed above)");
  }
}
