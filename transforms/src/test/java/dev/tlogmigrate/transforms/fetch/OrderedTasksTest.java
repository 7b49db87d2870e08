package dev.tlogmigrate.transforms.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
    try (OrderedTasks<Integer> tasks = new OrderedTasks<>(pool, seen::add)) {
      for (int i = 0; i < 60; i++) {
        int n = i;
        tasks.submit(
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
              try (OrderedTasks<Integer> tasks = new OrderedTasks<>(pool, r -> {})) {
                for (int i = 0; i < 40; i++) {
                  int n = i;
                  tasks.submit(
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
    try (OrderedTasks<Integer> tasks = new OrderedTasks<>(pool, r -> {})) {
      for (int i = 0; i < 40; i++) {
        boolean big = i % 3 == 0;
        tasks.submit(
            () -> {
              byte[] read =
                  BoundedRead.readAtMost(
                      new ByteArrayInputStream(big ? large : small), 1 << 22, "too large");
              if (big) {
                most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                // A second large read in the same task (a gunzipped copy), or one of a declared
                // length, needs no second admission.
                BoundedRead.readAtMost(new ByteArrayInputStream(large), 1 << 22, "too large");
                assertEquals(
                    large.length,
                    BoundedRead.readDeclared(new ByteArrayInputStream(large), large.length).length);
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
}
