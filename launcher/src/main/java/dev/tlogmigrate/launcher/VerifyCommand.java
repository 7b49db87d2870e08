package dev.tlogmigrate.launcher;

import dev.tlogmigrate.pipeline.MigrationPlan;
import dev.tlogmigrate.pipeline.MigrationPlanner;
import dev.tlogmigrate.transforms.MigrationMetrics;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.location.LogLocation;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.beam.sdk.PipelineResult;

/**
 * {@code tlog-migrate verify}: the migration pipeline as an audit of a live log, with nothing
 * written. Verifies the checkpoint (and a witness quorum), hashes every entry, rebuilds every tile
 * and compares it with the source's own, checks every issuer of a static-ct log, compares the root;
 * lists every mismatch found (up to a limit) and exits 1 if there is any.
 */
final class VerifyCommand {
  private final PrintStream out;
  private final PrintStream err;

  VerifyCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  void run(String[] args) throws IOException {
    // No validation: --destination, required for a migration, has no place here.
    MigrateOptions options = OptionsParser.parse(args, false);
    if (options.getSource() == null || options.getSource().isBlank()) {
      throw new IllegalArgumentException("verify needs --source: the log to audit");
    }
    if (options.getDestination() != null || options.getReplaceUncommitted()) {
      throw new IllegalArgumentException(
          "verify writes nothing: drop --destination and --replaceUncommitted (or run a"
              + " migration)");
    }
    RunSetup run = RunSetup.of(options, args);
    run.refuseLocalPathsOnRemoteWorkers(LogLocation.discard());
    try (Closeable sourceClient = run.holdSourceClient()) {
      verify(run);
    }
  }

  private void verify(RunSetup run) throws IOException {
    MigrationPlan plan =
        MigrationPlanner.plan(
            run.source(),
            LogLocation.discard(),
            LogFormat.fromFlag(run.options().getFormat()),
            SourceKeys.checkpointVerifier(run.options()),
            null);
    long size = plan.checkpoint().size();
    out.printf(
        "source %s: checkpoint of '%s' verified, size %d, root %s%n",
        run.source(), plan.checkpoint().origin(), size, plan.checkpoint().rootBase64());
    long bundles = Tiles.bundleCount(size);
    PipelineResult result =
        PipelineRun.run(run.options(), plan.spec().asVerification(), bundles, out, err);
    if (result == null) {
      return;
    }
    MetricValues m = MetricValues.of(result);
    double seconds = (System.nanoTime() - run.startedNanos()) / 1e9;
    out.printf(
        "verified %d entries (%d bundles), %d issuers: %s read, in %.1f s: %.0f entries/s%n",
        m.get(MigrationMetrics.ENTRIES),
        m.get(MigrationMetrics.BUNDLES),
        m.get(MigrationMetrics.ISSUERS_COPIED),
        Summary.bytes(m.get(MigrationMetrics.BYTES_READ)),
        seconds,
        m.get(MigrationMetrics.ENTRIES) / seconds);
    SourceMismatches mismatches = SourceMismatches.of(result);
    mismatches.printAndFail(out, "verification failed: the source serves");
    out.printf(
        "verified tree size %d, root %s: every entry, hash tile and issuer as the checkpoint says%n",
        size, plan.checkpoint().rootBase64());
  }
}
