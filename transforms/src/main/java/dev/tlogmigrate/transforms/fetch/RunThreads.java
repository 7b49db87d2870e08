package dev.tlogmigrate.transforms.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The threads of this process at work for one run: a runner's threads inside the run's DoFns and
 * the fetch tasks they started. A runner that reports a failed pipeline does not stop the others
 * (the DirectRunner neither interrupts nor awaits the bundles still running), so the launcher
 * abandons the run: no more work of it starts, every thread still at it is interrupted (its HTTP
 * request aborted, see {@link Interruption}), and the launcher waits until none is left before it
 * returns or releases the destination's lock.
 *
 * <p>One registry per process, keyed by the run's id: runs in the same process (tests, two jobs
 * racing on one bucket) never stop each other. An abandoned run stays abandoned.
 */
public final class RunThreads {
  private static final Map<String, RunThreads> RUNS = new HashMap<>();

  private final Set<Work> working = new HashSet<>();
  private boolean abandoned;
  private Throwable firstFailure;

  private RunThreads() {}

  /** The threads of the run {@code runId} in this process. */
  public static RunThreads of(String runId) {
    synchronized (RUNS) {
      return RUNS.computeIfAbsent(runId, id -> new RunThreads());
    }
  }

  /** What a DoFn does as work of the run. */
  public interface Body {
    void run() throws IOException, InterruptedException;
  }

  /**
   * Runs {@code body} as work of the run ({@link #enter}), recording its failure ({@link #failed})
   * before passing it on.
   */
  public void work(String resource, Body body) throws IOException, InterruptedException {
    try (Work w = enter(resource)) {
      body.run();
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      failed(e);
      throw e;
    }
  }

  /**
   * Counts the calling thread at work for the run until the returned work is closed.
   *
   * @param resource what the work is about, for the message when it may not start
   * @throws InterruptedIOException naming {@code resource} when the run was abandoned: nothing of
   *     it starts any more
   */
  public synchronized Work enter(String resource) throws InterruptedIOException {
    if (abandoned) {
      throw new InterruptedIOException(
          resource + ": not started: the run was stopped after a failure");
    }
    Work w = new Work(Thread.currentThread());
    working.add(w);
    return w;
  }

  /** Whether the run was abandoned. */
  public synchronized boolean abandoned() {
    return abandoned;
  }

  /**
   * Records a failure of the run's work in this process; the first is kept. A runner on this
   * process's threads may report it late: the DirectRunner hands failures to the thread that waits
   * for the pipeline only when one of its few threads is free, which a slow source can keep from
   * happening for minutes.
   */
  public synchronized void failed(Throwable t) {
    if (firstFailure == null && !abandoned) {
      firstFailure = t;
      notifyAll();
    }
  }

  /** The first failure of the run's work in this process, or null. */
  public synchronized Throwable firstFailure() {
    return firstFailure;
  }

  /** Stops the run: no work of it starts any more, and every thread still at it is interrupted. */
  public void abandon() {
    List<Work> now;
    synchronized (this) {
      abandoned = true;
      now = List.copyOf(working);
    }
    now.forEach(Work::interrupt);
  }

  /** Waits, at most {@code max}, until no thread works for the run; whether none does. */
  public synchronized boolean awaitIdle(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    for (long left; !working.isEmpty(); ) {
      if ((left = deadline - System.nanoTime()) <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Threads at work for the run now. */
  public synchronized int working() {
    return working.size();
  }

  private synchronized void ended(Work w) {
    working.remove(w);
    if (working.isEmpty()) {
      notifyAll();
    }
  }

  /**
   * One thread's work for the run, from {@link #enter} to {@link #close}: interrupting it reaches
   * that thread only while the work lasts, never the next task the thread runs.
   */
  public final class Work implements AutoCloseable {
    private final Thread thread;
    private boolean ended;
    private boolean interrupted;

    private Work(Thread thread) {
      this.thread = thread;
    }

    /** Interrupts the thread (and aborts its blocking request) if the work still lasts. */
    public synchronized void interrupt() {
      if (!ended) {
        interrupted = true;
        Interruption.interrupt(thread);
      }
    }

    /** Ends the work, on its own thread; an interruption it received goes with it. */
    @Override
    public void close() {
      boolean clear;
      synchronized (this) {
        ended = true;
        clear = interrupted;
      }
      if (clear) {
        var unused = Thread.interrupted(); // ours, delivered to this work only
      }
      ended(this);
    }
  }
}
