package dev.tlogmigrate.transforms.fetch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interrupting a thread ends its waits (a sleep, a semaphore, a future) but not a blocking socket
 * read: an HTTP request in flight would run on to its deadline. A call that {@link
 * Thread#interrupt} does not end registers here, while it runs, how to abort it (an HTTP client's
 * {@code cancel}); {@link #interrupt} interrupts the thread and aborts that call.
 */
public final class Interruption {
  private static final Map<Thread, Runnable> ABORTS = new ConcurrentHashMap<>();

  private Interruption() {}

  /** Ends the registration: the thread's interruptions no longer abort the call. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Until the returned registration is closed, {@link #interrupt} of this thread also runs {@code
   * abort}; a thread interrupted already has its call aborted at once. One call per thread.
   */
  public static Registration onInterrupt(Runnable abort) {
    Thread self = Thread.currentThread();
    ABORTS.put(self, abort);
    // The flag is set before an interrupter looks for the abort: one of the two sees the other.
    if (self.isInterrupted()) {
      abort.run();
    }
    return () -> ABORTS.remove(self, abort);
  }

  /** Interrupts {@code thread} and aborts the blocking call it registered, if any. */
  public static void interrupt(Thread thread) {
    thread.interrupt();
    Runnable abort = ABORTS.get(thread);
    if (abort != null) {
      abort.run();
    }
  }
}
