package dev.tlogmigrate.transforms.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The memory gate for large reads: a task stopped while it waits says what it was reading. */
class LargeReadsTest {
  @Test
  void aTaskInterruptedWhileWaitingForAdmissionNamesItsResource() throws Exception {
    LargeReads.Gate gate = new LargeReads.Gate(1);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () -> {
              try (LargeReads.Scope s = LargeReads.enter(gate)) {
                LargeReads.admit("https://log.example/tile/data/000");
                holding.countDown();
                release.await();
              } catch (InterruptedIOException | InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    holder.start();
    assertTrue(holding.await(10, TimeUnit.SECONDS));

    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try (LargeReads.Scope s = LargeReads.enter(gate)) {
                LargeReads.admit("https://log.example/tile/data/001");
              } catch (InterruptedIOException e) {
                thrown.set(e);
              }
            });
    waiter.start();
    while (waiter.getState() != Thread.State.WAITING) {
      Thread.sleep(5);
    }
    waiter.interrupt();
    waiter.join(10_000);
    release.countDown();
    holder.join(10_000);

    assertEquals(
        "https://log.example/tile/data/001: interrupted while waiting for memory to read it"
            + " (a large resource)",
        thrown.get().getMessage());
  }
}
