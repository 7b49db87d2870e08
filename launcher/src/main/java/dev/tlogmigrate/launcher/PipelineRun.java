package dev.tlogmigrate.launcher;

import dev.tlogmigrate.pipeline.MigrateLog;
import dev.tlogmigrate.transforms.MigrationSpec;
import java.io.PrintStream;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.dataflow.util.DataflowTemplateJob;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.jspecify.annotations.Nullable;

/** Runs the migration pipeline of a spec on the options' runner, with progress lines. */
final class PipelineRun {
  private PipelineRun() {}

  /**
   * Runs the pipeline tuned for the runner and waits for it; null when the runner only wrote a
   * Dataflow job specification (a Flex Template launch) and there is nothing to wait for.
   */
  static @Nullable PipelineResult run(
      MigrateOptions options, MigrationSpec spec, long bundles, PrintStream out, PrintStream err) {
    spec = spec.withMaxConcurrentFetches(options.getMaxConcurrentFetches());
    if (options.getRunner() != DirectRunner.class) {
      spec = spec.forDistributedRunner();
    } else if (bundles < options.as(DirectOptions.class).getTargetParallelism()) {
      // No more runner threads than ranges (fewer than 32 bundles make a range each): the
      // DirectRunner's monitor spins on any thread that has nothing to run.
      options.as(DirectOptions.class).setTargetParallelism((int) Math.max(1, bundles));
    }
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply("MigrateLog", new MigrateLog(spec));
    PipelineResult result = pipeline.run();
    if (result instanceof DataflowTemplateJob) {
      // --templateLocation, as a Flex Template launch sets it: the runner wrote the job
      // specification and submitted nothing; the Dataflow service starts the job once this
      // process exits.
      out.printf(
          "Dataflow job specification written to %s; not waiting for the job%n",
          options.as(DataflowPipelineOptions.class).getTemplateLocation());
      return null;
    }
    ProgressReporter progress =
        new ProgressReporter(result, bundles, err, options.getProgressIntervalSeconds());
    try {
      progress.waitUntilFinish();
    } finally {
      progress.close();
    }
    return result;
  }
}
