package dev.tlogmigrate.launcher;

import dev.tlogmigrate.transforms.MigrationMetrics;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;

/** Prints a progress line every few seconds while the pipeline runs: bundles done, rate, bytes. */
final class ProgressReporter implements AutoCloseable {
  private final PipelineResult result;
  private final long totalBundles;
  private final PrintStream err;
  private final long started = System.nanoTime();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tlog-migrate-progress");
            t.setDaemon(true);
            return t;
          });

  ProgressReporter(PipelineResult result, long totalBundles, PrintStream err, int intervalSeconds) {
    this.result = result;
    this.totalBundles = totalBundles;
    this.err = err;
    if (intervalSeconds > 0) {
      var unused = // stopped by shutdownNow()
          timer.scheduleAtFixedRate(
              this::report, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }
  }

  private void report() {
    MetricValues m = MetricValues.of(result);
    double seconds = (System.nanoTime() - started) / 1e9;
    long bundles = m.get(MigrationMetrics.BUNDLES);
    long entries = m.get(MigrationMetrics.ENTRIES);
    err.printf(
        "[%6.1fs] bundles %d/%d (%.1f%%), %d entries, %.0f entries/s, %s read, %d retries%n",
        seconds,
        bundles,
        totalBundles,
        totalBundles == 0 ? 100.0 : 100.0 * bundles / totalBundles,
        entries,
        entries / Math.max(seconds, 1e-9),
        Summary.bytes(m.get(MigrationMetrics.BYTES_READ)),
        m.get(MigrationMetrics.RETRIES));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
