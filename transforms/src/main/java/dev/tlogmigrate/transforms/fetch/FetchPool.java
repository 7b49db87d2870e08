package dev.tlogmigrate.transforms.fetch;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The fetches a worker process runs at once. One pool per bound, shared by every DoFn instance of
 * the process (the DirectRunner's threads, a Dataflow worker's), so {@code --maxConcurrentFetches}
 * holds per process whatever the runner's own parallelism. A task holds a slot from before it
 * starts until it ends, fetch, hashing and writes included: that bounds requests in flight and,
 * with the pool's {@link LargeReads.Gate}, the bytes held.
 */
public final class FetchPool {
  private static final Map<List<Integer>, FetchPool> POOLS = new HashMap<>();

  /** Tasks submitted and not yet ended in this process, over every pool. */
  private static int running;

  private final Semaphore slots;
  private final LargeReads.Gate largeReads;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "tlog-migrate-fetch");
            t.setDaemon(true);
            return t;
          });

  private FetchPool(int maxConcurrent, int largeAtOnce) {
    slots = new Semaphore(maxConcurrent, true);
    largeReads = new LargeReads.Gate(largeAtOnce);
  }

  /**
   * The process's pool for these bounds: {@code largeAtOnce} tasks may hold a large resource at
   * once.
   */
  public static FetchPool of(int maxConcurrent, int largeAtOnce) {
    synchronized (POOLS) {
      return POOLS.computeIfAbsent(
          List.of(maxConcurrent, largeAtOnce), k -> new FetchPool(maxConcurrent, largeAtOnce));
    }
  }

  private static synchronized void started() {
    running++;
  }

  private static synchronized void ended() {
    if (--running == 0) {
      FetchPool.class.notifyAll();
    }
  }

  /**
   * Waits, at most {@code max}, until no fetch task runs in this process. A runner that reports a
   * failed pipeline may still have other bundles' fetches writing (the DirectRunner does not wait
   * for them): a caller that goes on in the same process waits for those first.
   */
  public static synchronized boolean awaitIdle(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    for (long left; running > 0; ) {
      if ((left = deadline - System.nanoTime()) <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(FetchPool.class, left);
    }
    return true;
  }

  /** Runs the task on a pool thread once a slot is free, waiting for one. */
  <T> Future<T> submit(Callable<T> task) throws InterruptedException {
    slots.acquire();
    // Counted from here, not from when a pool thread picks it up: awaitIdle must not miss a task
    // that is queued but not yet started.
    started();
    try {
      return threads.submit(
          () -> {
            try (LargeReads.Scope reads = LargeReads.enter(largeReads)) {
              return task.call();
            } finally {
              slots.release();
              ended();
            }
          });
    } catch (RejectedExecutionException e) {
      slots.release();
      ended();
      throw e;
    }
  }
}
