package dev.tlogmigrate.transforms.fetch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The fetches a worker process runs at once. One pool per bound, shared by every DoFn instance of
 * the process (the DirectRunner's threads, a Dataflow worker's), so {@code --maxConcurrentFetches}
 * holds per process whatever the runner's own parallelism. A task holds a slot from before it
 * starts until it ends, fetch, hashing and writes included: that bounds requests in flight and,
 * with the pool's {@link LargeReads.Gate}, the bytes held.
 */
public final class FetchPool {
  private static final Map<List<Integer>, FetchPool> POOLS = new HashMap<>();

  /** How often a caller waiting for a slot looks whether it should stop waiting. */
  private static final long GIVE_UP_POLL_MILLIS = 20;

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

  /**
   * Runs the task on a pool thread once a slot is free, waiting for one; unless {@code giveUp}
   * turns true while it waits (its caller has failed already): then the task never runs. The task
   * hands over its own result and failure.
   *
   * @return whether the task was submitted
   */
  boolean submit(Runnable task, BooleanSupplier giveUp) throws InterruptedException {
    while (!slots.tryAcquire(GIVE_UP_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      if (giveUp.getAsBoolean()) {
        return false;
      }
    }
    try {
      threads.execute(
          () -> {
            try (LargeReads.Scope reads = LargeReads.enter(largeReads)) {
              task.run();
            } finally {
              slots.release();
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      slots.release();
      throw e;
    }
  }
}
