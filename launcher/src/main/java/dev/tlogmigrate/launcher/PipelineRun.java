package dev.tlogmigrate.launcher;

import dev.tlogmigrate.pipeline.MigrateLog;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.fetch.RunThreads;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.dataflow.util.DataflowTemplateJob;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.jspecify.annotations.Nullable;

/** Runs the migration pipeline of a spec on the options' runner, with progress lines. */
final class PipelineRun {
  /**
   * How long a failed run's threads in this process may take to stop. Interrupted, a fetch ends at
   * once (its HTTP request aborted); a bucket write already sent ends within its socket timeout.
   */
  static final Duration STOP_WAIT = Duration.ofMinutes(2);

  /** How often a wait for an in-process pipeline looks for a failure of its work. */
  private static final Duration FAILURE_POLL = Duration.ofMillis(50);

  private PipelineRun() {}

  /**
   * Thrown, with the run's failure as its cause, when threads of the failed run still work after
   * {@link #STOP_WAIT}: what they write must not meet another run, so a directory's lock is kept
   * until this process exits.
   */
  static final class StillWorking extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int threads;

    StillWorking(int threads, Throwable failure) {
      super(threads + " threads of the failed run still work after " + STOP_WAIT, failure);
      this.threads = threads;
    }
  }

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
    RunThreads threads = RunThreads.of(spec.runId());
    try (ProgressReporter progress =
        new ProgressReporter(result, bundles, err, options.getProgressIntervalSeconds())) {
      PipelineResult.State state =
          options.getRunner() == DirectRunner.class
              ? waitInProcess(result, threads)
              : result.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("the pipeline ended in state " + state);
      }
    } catch (RuntimeException | Error e) { // an Error too: the lock is released after this
      stop(result, threads, e, err);
      throw e;
    }
    return result;
  }

  /**
   * Waits for a pipeline whose DoFns run in this process, until it ends or one of them fails. The
   * DirectRunner hands a failure over only once one of its threads is free to, which fetches of
   * other bundles from a slow source can keep busy for minutes: the run's own record of its first
   * failure is seen at once.
   */
  private static PipelineResult.State waitInProcess(PipelineResult result, RunThreads threads) {
    org.joda.time.Duration poll = org.joda.time.Duration.millis(FAILURE_POLL.toMillis());
    while (true) {
      PipelineResult.State state = result.waitUntilFinish(poll);
      if (state != null && state.isTerminal()) {
        return state;
      }
      Throwable failed = threads.firstFailure();
      if (failed != null) {
        throw new Pipeline.PipelineExecutionException(failed);
      }
    }
  }

  /**
   * Stops a failed run before the command returns: no work of it starts any more, every thread of
   * it in this process is interrupted (its HTTP request aborted) and awaited, and the pipeline is
   * cancelled (a runner elsewhere stops its workers). A runner reports the failure while other
   * bundles still run (the DirectRunner neither interrupts nor awaits them), and they would go on
   * fetching, with their retries, and writing.
   */
  private static void stop(
      PipelineResult result, RunThreads threads, Throwable failure, PrintStream err) {
    threads.abandon();
    try {
      result.cancel();
      // Elsewhere (Dataflow) until the job's workers have stopped; the DirectRunner is done
      // already.
      PipelineResult.State state =
          result.waitUntilFinish(org.joda.time.Duration.millis(STOP_WAIT.toMillis()));
      if (state == null || !state.isTerminal()) {
        err.printf(
            "warning: the cancelled job has not stopped after %s: its workers may still write%n",
            STOP_WAIT);
      }
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e); // already failed: the first error is the one to report
    }
    boolean idle;
    try {
      idle = threads.awaitIdle(STOP_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      idle = false;
    }
    if (!idle) {
      throw new StillWorking(threads.working(), failure);
    }
  }
}
