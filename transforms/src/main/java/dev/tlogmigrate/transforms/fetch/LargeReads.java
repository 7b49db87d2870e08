package dev.tlogmigrate.transforms.fetch;

import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;

/**
 * Bounds the memory that concurrent fetches can be made to hold. Entry tiles are normally well
 * under {@link #SMALL_BYTES}, and a fetch holding one goes ahead freely; a fetch whose resource
 * grows past that (a hostile source's 16 MiB bundle, a 64 MiB data tile and its gunzipped copy)
 * must first be admitted by its {@link Gate}, which admits a fixed number at a time. So a process
 * holds at most (fetches in flight) x SMALL_BYTES plus (gate size) x (largest resource) at once,
 * whatever the source sends. Admission is per task, once, on the task's own thread ({@link
 * #enter}): a task never waits for a second admission while holding one, so tasks cannot deadlock
 * on the gate.
 */
public final class LargeReads {
  /** What a resource may hold without admission. */
  public static final int SMALL_BYTES = 1 << 20;

  private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

  private LargeReads() {}

  /** Admits a fixed number of tasks at a time to hold large resources. */
  public static final class Gate {
    private final Semaphore admitted;

    public Gate(int admittedAtOnce) {
      if (admittedAtOnce < 1) {
        throw new IllegalArgumentException("a gate must admit at least one task");
      }
      admitted = new Semaphore(admittedAtOnce, true);
    }
  }

  /** The reads of one task on this thread, until {@link Scope#close}. */
  public static Scope enter(Gate gate) {
    if (CURRENT.get() != null) {
      throw new IllegalStateException("a large-read scope is already open on this thread");
    }
    Scope scope = new Scope(gate);
    CURRENT.set(scope);
    return scope;
  }

  /**
   * Called by a reader before it holds more than {@link #SMALL_BYTES}: waits for the current task's
   * admission (once per task). Outside any task (the planner's few reads) it does nothing.
   *
   * @param resource what is read, for the message if the wait is interrupted
   */
  public static void admit(String resource) throws InterruptedIOException {
    Scope scope = CURRENT.get();
    if (scope == null || scope.admitted) {
      return;
    }
    try {
      scope.gate.admitted.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          resource + ": interrupted while waiting for memory to read it (a large resource)");
    }
    scope.admitted = true;
  }

  /** A task's reads: closing it gives its admission back. */
  public static final class Scope implements AutoCloseable {
    private final Gate gate;
    private boolean admitted;

    private Scope(Gate gate) {
      this.gate = gate;
    }

    @Override
    public void close() {
      CURRENT.remove();
      if (admitted) {
        admitted = false;
        gate.admitted.release();
      }
    }
  }
}
