package dev.tlogmigrate.transforms.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Tasks of a DoFn call on the process's fetch pool: bounded, in order, and none outlives the call.
 */
class OrderedTasksTest {
  @Test
  void resultsComeInSubmissionOrderWithinTheBound() throws Exception {
    FetchPool pool = FetchPool.of(5, 1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Integer> seen = new ArrayList<>();
    try (OrderedTasks<Integer> tasks = new OrderedTasks<>(pool, run(), seen::add)) {
      for (int i = 0; i < 60; i++) {
        int n = i;
        tasks.submit(
            "task " + n,
            () -> {
              most.accumulateAndGet(running.incrementAndGet(), Math::max);
              Thread.sleep(ThreadLocalRandom.current().nextInt(1, 15)); // finish out of order
              running.decrementAndGet();
              return n;
            });
      }
      tasks.finish();
    }
    assertEquals(IntStream.range(0, 60).boxed().toList(), seen);
    assertTrue(most.get() <= 5 && most.get() > 1, "at most " + most.get() + " at once");
  }

  @Test
  void aFailureIsThrownAndNoTaskOutlivesTheCall() throws Exception {
    FetchPool pool = FetchPool.of(4, 1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              try (OrderedTasks<Integer> tasks = new OrderedTasks<>(pool, run(), r -> {})) {
                for (int i = 0; i < 40; i++) {
                  int n = i;
                  tasks.submit(
                      "task " + n,
                      () -> {
                        started.incrementAndGet();
                        running.incrementAndGet();
                        try {
                          Thread.sleep(20);
                          if (n == 3) {
                            throw new IOException("bundle 3 is corrupt");
                          }
                          return n;
                        } finally {
                          running.decrementAndGet();
                        }
                      });
                }
                tasks.finish();
              }
            });
    assertEquals("bundle 3 is corrupt", e.getMessage());
    assertEquals(0, running.get(), "tasks still running after the call");
    assertTrue(started.get() < 40, "every task ran after the failure: " + started.get());
  }

  @Test
  void largeReadsAreAdmittedAFewAtATimeWithoutDeadlock() throws Exception {
    FetchPool pool = FetchPool.of(8, 2);
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    byte[] large = new byte[LargeReads.SMALL_BYTES + 1];
    byte[] small = new byte[1000];
    try (OrderedTasks<Integer> tasks = new OrderedTasks<>(pool, run(), r -> {})) {
      for (int i = 0; i < 40; i++) {
        boolean big = i % 3 == 0;
        tasks.submit(
            "task " + i,
            () -> {
              byte[] read =
                  BoundedRead.readAtMost(
                      new ByteArrayInputStream(big ? large : small), 1 << 22, "r", "too large");
              if (big) {
                most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                // A second large read in the same task (a gunzipped copy), or one of a declared
                // length, needs no second admission.
                BoundedRead.readAtMost(new ByteArrayInputStream(large), 1 << 22, "r", "too large");
                assertEquals(
                    large.length,
                    BoundedRead.readDeclared(new ByteArrayInputStream(large), large.length, "r")
                        .length);
                Thread.sleep(10);
                holding.decrementAndGet();
              }
              return read.length;
            });
      }
      tasks.finish();
    }
    assertTrue(most.get() <= 2, most.get() + " tasks held a large read at once, over the gate's 2");
  }

  private static RunThreads run() {
    return RunThreads.of(UUID.randomUUID().toString());
  }

  /** A blocking call that interrupting its thread does not end, as a socket read: until aborted. */
  private static void blockUntilAborted(AtomicInteger aborted) throws IOException {
    CountDownLatch abort = new CountDownLatch(1);
    try (Interruption.Registration r = Interruption.onInterrupt(abort::countDown)) {
      while (true) {
        try {
          if (abort.await(60, TimeUnit.SECONDS)) {
            break;
          }
        } catch (InterruptedException e) {
          // as a socket read would: go on waiting
        }
      }
    }
    aborted.incrementAndGet();
    throw new InterruptedIOException("aborted");
  }

  @Test
  void aLaterTaskFailingEndsTheCallWhileEarlierOnesStillWaitAndTheyAreAborted() throws Exception {
    FetchPool pool = FetchPool.of(16, 1);
    AtomicInteger blocked = new AtomicInteger();
    AtomicInteger aborted = new AtomicInteger();
    long start = System.nanoTime();
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              try (OrderedTasks<Integer> tasks = new OrderedTasks<>(pool, run(), r -> {})) {
                for (int i = 0; i < 8; i++) {
                  int n = i;
                  tasks.submit(
                      "task " + n,
                      () -> {
                        if (n == 5) {
                          while (blocked.get() < 5) { // the earlier tasks all wait by now
                            Thread.sleep(1);
                          }
                          throw new IOException("task 5 is corrupt");
                        }
                        blocked.incrementAndGet();
                        blockUntilAborted(aborted);
                        return n;
                      });
                }
                tasks.finish();
              }
            });
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals("task 5 is corrupt", e.getMessage());
    assertTrue(blocked.get() >= 5, blocked + " tasks waited");
    assertEquals(
        blocked.get(), aborted.get(), "every task that had started was aborted and had ended");
    assertTrue(tookMillis < 10_000, "took " + tookMillis + " ms");
  }

  @Test
  void abandoningTheRunStopsEveryCallOfItAndNoOtherRun() throws Exception {
    FetchPool pool = FetchPool.of(32, 1);
    RunThreads failed = run();
    RunThreads other = run();
    AtomicInteger aborted = new AtomicInteger();
    CountDownLatch otherMayEnd = new CountDownLatch(1);
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    List<Thread> calls = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      RunThreads run = c < 2 ? failed : other;
      Thread t =
          new Thread(
              () -> {
                try (RunThreads.Work w = run.enter("call");
                    OrderedTasks<Integer> tasks = new OrderedTasks<>(pool, run, r -> {})) {
                  for (int i = 0; i < 4; i++) {
                    int n = i;
                    tasks.submit(
                        "task " + n,
                        () -> {
                          if (run == other) {
                            assertTrue(otherMayEnd.await(60, TimeUnit.SECONDS));
                            return n;
                          }
                          blockUntilAborted(aborted);
                          return n;
                        });
                  }
                  tasks.finish();
                } catch (Exception e) {
                  thrown.add(e);
                }
              });
      t.start();
      calls.add(t);
    }
    while (failed.working() < 2 + 8 || other.working() < 1 + 4) {
      Thread.sleep(10);
    }

    failed.abandon();

    assertTrue(failed.awaitIdle(Duration.ofSeconds(10)), failed.working() + " still working");
    assertEquals(8, aborted.get());
    assertThrows(InterruptedIOException.class, () -> failed.enter("more work"));
    assertEquals(5, other.working(), "the other run goes on");
    otherMayEnd.countDown();
    for (Thread t : calls) {
      t.join(10_000);
    }
    assertEquals(2, thrown.size(), thrown.toString());
    assertTrue(other.awaitIdle(Duration.ofSeconds(10)));
  }

  @Test
  void aCheckedFailureOfATaskNamesItsResource() throws Exception {
    FetchPool pool = FetchPool.of(2, 1);
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              try (OrderedTasks<Integer> tasks = new OrderedTasks<>(pool, run(), r -> {})) {
                tasks.submit(
                    "https://log.example/tile/entries/007",
                    () -> {
                      throw new GeneralSecurityException("no such algorithm");
                    });
                tasks.finish();
              }
            });
    assertTrue(e.getMessage().startsWith("https://log.example/tile/entries/007: "), e.getMessage());
    assertTrue(e.getMessage().contains("no such algorithm"), e.getMessage());
  }

  @Test
  void aTaskInterruptedInItsOwnCodeNamesItsResource() throws Exception {
    FetchPool pool = FetchPool.of(2, 1);
    InterruptedIOException e =
        assertThrows(
            InterruptedIOException.class,
            () -> {
              try (OrderedTasks<Integer> tasks = new OrderedTasks<>(pool, run(), r -> {})) {
                tasks.submit(
                    "https://log.example/tile/entries/008",
                    () -> {
                      throw new InterruptedException();
                    });
                tasks.finish();
              }
            });
    assertEquals("https://log.example/tile/entries/008: interrupted", e.getMessage());
  }
}
