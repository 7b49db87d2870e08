package dev.tlogmigrate.transforms.fetch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tasks of one DoFn call, run concurrently on a {@link FetchPool}, whose results the calling
 * thread takes in the order they were submitted: Beam allows output only from that thread. Nothing
 * outlives the call: {@link #close} waits for every task still running, and tasks not yet started
 * when an earlier one failed do nothing.
 */
public final class OrderedTasks<T> implements AutoCloseable {
  /** Takes a result on the calling thread. */
  public interface Consumer<T> {
    void accept(T result) throws IOException;
  }

  private final FetchPool pool;
  private final Consumer<T> consumer;
  private final Deque<Future<T>> pending = new ArrayDeque<>();
  private final AtomicBoolean abandoned = new AtomicBoolean();

  public OrderedTasks(FetchPool pool, Consumer<T> consumer) {
    this.pool = pool;
    this.consumer = consumer;
  }

  /**
   * Submits a task (waiting for a free slot), then hands over every result already in, in order.
   */
  public void submit(Callable<T> task) throws IOException, InterruptedException {
    pending.add(pool.submit(() -> abandoned.get() ? null : task.call()));
    while (!pending.isEmpty() && pending.peek().isDone()) {
      consumer.accept(result(pending.poll()));
    }
  }

  /** Waits for every task, handing over the results in order; the first failure is thrown. */
  public void finish() throws IOException, InterruptedException {
    while (!pending.isEmpty()) {
      consumer.accept(result(pending.poll()));
    }
  }

  private static <T> T result(Future<T> f) throws IOException, InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    }
  }

  /** After a failure: lets the tasks still queued skip their work and waits for those running. */
  @Override
  public void close() {
    abandoned.set(true);
    boolean interrupted = false;
    for (Future<T> f : pending) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // a running fetch ends within its deadline: wait for it all the same
        } catch (ExecutionException e) {
          break; // the failure that matters was thrown already
        }
      }
    }
    pending.clear();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
