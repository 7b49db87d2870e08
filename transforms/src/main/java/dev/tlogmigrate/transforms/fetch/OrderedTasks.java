package dev.tlogmigrate.transforms.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;

/**
 * The tasks of one DoFn call, run concurrently on a {@link FetchPool}, whose results the calling
 * thread takes in the order they were submitted: Beam allows output only from that thread. The
 * first task to fail ends the call at once, whichever task it is; nothing outlives the call: {@link
 * #close} stops the tasks still queued from starting, interrupts those running (aborting their
 * requests) and waits until each has ended.
 */
public final class OrderedTasks<T> implements AutoCloseable {
  /** Takes a result on the calling thread. */
  public interface Consumer<T> {
    void accept(T result) throws IOException;
  }

  private final FetchPool pool;
  private final RunThreads run;
  private final Consumer<T> consumer;
  private final Deque<Task> pending = new ArrayDeque<>();

  /** The first failure of any task, or null; guarded by {@code this}. */
  private Throwable failure;

  /**
   * @param run the run whose work the tasks are: abandoning it stops them too
   */
  public OrderedTasks(FetchPool pool, RunThreads run, Consumer<T> consumer) {
    this.pool = pool;
    this.run = run;
    this.consumer = consumer;
  }

  /** One task: its work on a pool thread, and how it ended. */
  private final class Task implements Runnable {
    private final String resource;
    private final Callable<T> work;
    private RunThreads.Work running; // guarded by this
    private boolean cancelled; // guarded by this
    private boolean ended; // guarded by OrderedTasks.this
    private T result;

    Task(String resource, Callable<T> work) {
      this.resource = resource;
      this.work = work;
    }

    @Override
    public void run() {
      T value = null;
      Throwable thrown = null;
      try (RunThreads.Work w = run.enter(resource)) {
        if (start(w)) {
          value = work.call();
        }
      } catch (Throwable t) { // handed to the calling thread
        thrown = t;
      } finally {
        synchronized (this) {
          running = null;
        }
      }
      ended(this, value, thrown);
    }

    private synchronized boolean start(RunThreads.Work w) {
      running = w;
      return !cancelled;
    }

    /** Keeps the task from starting, or interrupts it while it runs. */
    synchronized void cancel() {
      cancelled = true;
      if (running != null) {
        running.interrupt();
      }
    }
  }

  private synchronized void ended(Task task, T value, Throwable thrown) {
    task.result = value;
    task.ended = true;
    if (thrown != null && failure == null) {
      failure = named(task.resource, thrown);
    }
    notifyAll();
  }

  /**
   * Submits a task (waiting for a free slot), then hands over every result already in, in order.
   *
   * @param resource what the task fetches, for its errors
   */
  public void submit(String resource, Callable<T> work) throws IOException, InterruptedException {
    rethrowFailure();
    Task task = new Task(resource, work);
    // The task hands its result or failure over itself; null: another task failed meanwhile.
    if (!pool.submit(task, this::failed)) {
      rethrowFailure();
    }
    pending.add(task);
    while (!pending.isEmpty() && isEnded(pending.peek())) {
      rethrowFailure();
      consumer.accept(pending.poll().result);
    }
  }

  /**
   * Waits for every task, handing over the results in order; the first task to fail ends the wait
   * at once, and its failure is thrown.
   */
  public void finish() throws IOException, InterruptedException {
    while (!pending.isEmpty()) {
      Task head = pending.peek();
      synchronized (this) {
        while (!head.ended && failure == null) {
          wait();
        }
      }
      rethrowFailure();
      consumer.accept(pending.poll().result);
    }
  }

  private synchronized boolean failed() {
    return failure != null;
  }

  private synchronized boolean isEnded(Task task) {
    return task.ended;
  }

  private void rethrowFailure() throws IOException {
    Throwable t;
    synchronized (this) {
      t = failure;
    }
    if (t == null) {
      return;
    }
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(t); // named() leaves nothing else
  }

  /**
   * A task's failure as the caller sees it: what is not an unchecked or I/O error names the task.
   */
  private static Throwable named(String resource, Throwable t) {
    if (t instanceof IOException || t instanceof RuntimeException || t instanceof Error) {
      return t;
    }
    if (t instanceof InterruptedException) {
      InterruptedIOException e = new InterruptedIOException(resource + ": interrupted");
      e.initCause(t);
      return e;
    }
    return new IOException(resource + ": " + t, t);
  }

  /**
   * Stops what is left, after a failure: tasks not yet started do nothing, running ones are
   * interrupted, and the call waits until every one has ended. Nothing to do after {@link #finish}.
   */
  @Override
  public void close() {
    pending.forEach(Task::cancel);
    boolean interrupted = false;
    synchronized (this) {
      for (Task task : pending) {
        while (!task.ended) {
          try {
            wait();
          } catch (InterruptedException e) {
            interrupted = true; // a task ends soon once interrupted: wait for it all the same
          }
        }
      }
    }
    pending.clear();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
