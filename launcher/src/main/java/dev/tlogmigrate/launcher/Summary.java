package dev.tlogmigrate.launcher;

import dev.tlogmigrate.pipeline.MigrationPlan;
import dev.tlogmigrate.transforms.MigrationMetrics;
import java.io.PrintStream;
import org.apache.beam.sdk.PipelineResult;

/** The closing lines of a run: what was copied, how fast, and the tree it committed. */
record Summary(
    MigrationPlan plan,
    long entries,
    long bundles,
    long bytesRead,
    long bytesWritten,
    long retries,
    long uncommittedReplaced,
    long antispamRowsWritten,
    long antispamRowsPresent,
    long nanos) {
  static Summary of(PipelineResult result, MigrationPlan plan, long nanos) {
    MetricValues m = MetricValues.of(result);
    return new Summary(
        plan,
        m.get(MigrationMetrics.ENTRIES),
        m.get(MigrationMetrics.BUNDLES),
        m.get(MigrationMetrics.BYTES_READ),
        m.get(MigrationMetrics.BYTES_WRITTEN),
        m.get(MigrationMetrics.RETRIES),
        m.get(MigrationMetrics.UNCOMMITTED_REPLACED),
        m.get(MigrationMetrics.ANTISPAM_ROWS_WRITTEN),
        m.get(MigrationMetrics.ANTISPAM_ROWS_PRESENT),
        nanos);
  }

  void print(PrintStream out) {
    double seconds = nanos / 1e9;
    out.printf(
        "migrated %d entries (%d bundles): %s read, %s written, %d retries, in %.1f s: %.0f entries/s, %s/s%n",
        entries,
        bundles,
        bytes(bytesRead),
        bytes(bytesWritten),
        retries,
        seconds,
        entries / seconds,
        bytes((long) (bytesRead / seconds)));
    if (uncommittedReplaced > 0) {
      out.printf(
          "replaced %d objects that a failed run had left above the committed size%n",
          uncommittedReplaced);
    }
    printAntispam(out);
    out.printf(
        "committed tree size %d, root %s%n",
        plan.checkpoint().size(), plan.checkpoint().rootBase64());
  }

  /** With an antispam index to fill: the rows written, and those found there already. */
  void printAntispam(PrintStream out) {
    if (plan.spec().antispam() != null) {
      long rows = antispamRowsWritten + antispamRowsPresent;
      double seconds = nanos / 1e9;
      out.printf(
          "antispam index: %d rows written, %d present already (one per identity of %d entries),"
              + " in %.1f s: %.0f rows/s%n",
          antispamRowsWritten,
          antispamRowsPresent,
          plan.antispamEntries(),
          seconds,
          rows / seconds);
    }
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }
}
