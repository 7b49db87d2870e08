package dev.tlogmigrate.launcher;

import dev.tlogmigrate.pipeline.MigrationPlan;
import dev.tlogmigrate.pipeline.MigrationPlanner;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.directory.DirectoryLock;
import dev.tlogmigrate.transforms.tessera.TesseraAntispam;
import dev.tlogmigrate.transforms.tessera.TesseraDatabase;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.beam.sdk.PipelineResult;

/** Plans a migration, runs the pipeline with progress lines, and prints the summary. */
final class MigrateCommand {
  private final PrintStream out;
  private final PrintStream err;

  MigrateCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  void run(String[] args) throws IOException {
    RunSetup run = RunSetup.of(OptionsParser.parse(args, true), args);
    LogLocation destination = run.location(run.options().getDestination());
    if (destination.isHttp()) {
      throw new IllegalArgumentException("the destination must be a directory, not " + destination);
    }
    if (run.options().getReplaceUncommitted() && !destination.isBucket()) {
      throw new IllegalArgumentException(
          "--replaceUncommitted is for a bucket destination: a run on a directory, under its lock,"
              + " writes over whatever a failed run left");
    }
    if (run.options().getReplaceUncommitted()
        && (SecretOptions.isSet(run.options().getTesseraSpannerDatabase())
            || SecretOptions.isSet(run.options().getTesseraMySqlUrl()))) {
      // A replacing run re-reads the bucket's tree state, but a take-over commits Tessera's
      // database first: another job's commit there would go unseen.
      throw new IllegalArgumentException(
          "--replaceUncommitted cannot go with a Tessera take-over: Tessera's database commits"
              + " before the bucket's tree state, the only one a replacing run can re-read; once no"
              + " other job writes the bucket, delete the objects above the size in Tessera's"
              + " IntCoord by hand");
    }
    run.refuseLocalPathsOnRemoteWorkers(destination);
    // A bucket has no lock file: there the tree state's conditional write (a GCS generation, an S3
    // ETag) keeps two runs apart.
    try (DirectoryLock lock =
            destination.isBucket() ? null : DirectoryLock.acquire(Path.of(destination.uri()));
        Closeable sourceClient = run.holdSourceClient()) {
      try {
        migrate(run, destination);
      } catch (PipelineRun.StillWorking e) {
        if (lock != null) {
          lock.keepUntilExit(); // nothing else may write there while they might
        }
        err.printf(
            "tlog-migrate: warning: %d threads of the failed run still work after %d s%s%n",
            e.threads,
            PipelineRun.STOP_WAIT.toSeconds(),
            lock == null ? "" : "; " + destination + " stays locked until this process exits");
        throw e;
      }
    }
  }

  private void migrate(RunSetup run, LogLocation destination) throws IOException {
    MigrateOptions options = run.options();
    TesseraDatabase tessera = TesseraDatabases.from(options);
    TesseraAntispam antispam = TesseraDatabases.antispam(options, tessera);
    MigrationPlan plan =
        MigrationPlanner.plan(
            run.source(),
            destination,
            LogFormat.fromFlag(options.getFormat()),
            SourceKeys.checkpointVerifier(options),
            tessera,
            antispam);
    out.printf(
        "source %s: checkpoint of '%s' verified, size %d, root %s%n",
        run.source(),
        plan.checkpoint().origin(),
        plan.checkpoint().size(),
        plan.checkpoint().rootBase64());
    if (plan.upToDate()) {
      if (plan.checkpointStale()) {
        MigrationPlanner.finishUpToDate(plan);
      }
      if (plan.antispamEntries() == 0) {
        out.printf(
            "destination %s is already at size %d with that root: nothing to do%n",
            destination, plan.spec().treeSize());
        printTessera(tessera, plan);
        return;
      }
      out.printf(
          "destination %s is already at size %d with that root; antispam index %s at %d:"
              + " indexing %d entries%n",
          destination,
          plan.spec().treeSize(),
          antispam,
          plan.spec().antispam().from(),
          plan.antispamEntries());
      PipelineResult result = PipelineRun.run(options, plan.spec(), 0, out, err);
      if (result != null) {
        Summary.of(result, plan, System.nanoTime() - run.startedNanos()).printAntispam(out);
        printTessera(tessera, plan);
      }
      return;
    }
    long bundles =
        Tiles.bundleCount(plan.spec().treeSize()) - Tiles.edgeIndex(plan.spec().startSize(), 0);
    out.printf(
        "destination %s: committed size %d; copying %d entries in %d bundles%n",
        destination, plan.spec().startSize(), plan.entriesToCopy(), bundles);
    if (antispam != null) {
      out.printf(
          "antispam index %s at %d: writing the rows of %d entries%n",
          antispam, plan.spec().antispam().from(), plan.antispamEntries());
    }

    MigrationSpec spec = plan.spec();
    if (options.getCompareSourceTiles()) {
      spec = spec.withCompareSourceTiles();
    }
    if (options.getReplaceUncommitted()) {
      spec = spec.withReplaceUncommitted();
    }
    PipelineResult result = PipelineRun.run(options, spec, bundles, out, err);
    if (result == null) {
      return;
    }
    Summary.of(result, plan, System.nanoTime() - run.startedNanos()).print(out);
    printTessera(tessera, plan);
    if (options.getCompareSourceTiles()) {
      SourceMismatches.of(result)
          .printAndFail(
              out,
              "the copy is committed, rebuilt from the verified entries, but the source serves");
    }
  }

  private void printTessera(TesseraDatabase tessera, MigrationPlan plan) {
    if (tessera != null) {
      out.printf(
          "Tessera database %s: IntCoord at size %d with that root, SeqCoord.next %d%n",
          tessera, plan.spec().treeSize(), plan.spec().treeSize());
    }
    if (plan.spec().antispam() != null) {
      out.printf(
          "Tessera antispam index %s: a row for every entry identity below %d, %s.nextIdx %d%n",
          plan.spec().antispam().index(),
          plan.spec().treeSize(),
          plan.spec().antispam().index().followCoord(),
          plan.spec().treeSize());
    }
  }
}
