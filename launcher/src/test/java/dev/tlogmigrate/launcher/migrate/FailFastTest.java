package dev.tlogmigrate.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tlogmigrate.launcher.testing.AfterFailedRun;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.storage.directory.DirectoryLock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that fails while many slow fetches are in flight stops at once: the fetches still waiting
 * for the source are abandoned (their requests aborted), the pipeline is cancelled and awaited, and
 * the command returns its one-line error, not after every fetch has used up its time and retries.
 * None of those fetches writes anything afterwards, even once the source answers.
 */
class FailFastTest {
  /** 1,040 bundles: 16 ranges of 65, so that one range alone can fill every fetch slot. */
  private static final long SIZE = 1040 * 256;

  /** Fetch slots: the failing fetch and 64 slow ones. */
  private static final int SLOTS = 65;

  private static final Duration SLOW_RESPONSE = Duration.ofSeconds(30);

  @TempDir static Path shared;
  static Path source;

  @TempDir Path tmp;

  @BeforeAll
  static void generate() throws IOException {
    source = TestLogs.generate(shared.resolve("source"), SIZE);
  }

  /**
   * Serves the log: the planner's read of the last bundle at once; the pipeline's first bundle,
   * once {@code SLOTS - 1} other bundle requests are waiting, as a corrupt bundle; every other
   * bundle after {@link #SLOW_RESPONSE} (or when the test ends).
   */
  static final class SlowSourceWithOneBadBundle implements HttpHandler {
    final HttpHandler files = new StaticLogServer.DirectoryHandler(source);
    final AtomicInteger bundleRequests = new AtomicInteger();
    final AtomicInteger slowInFlight = new AtomicInteger();
    final CountDownLatch testOver = new CountDownLatch(1);
    volatile String failedBundle;
    volatile long failedAt;
    volatile int slowWhenFailed;

    @Override
    public void handle(HttpExchange ex) throws IOException {
      String path = ex.getRequestURI().getPath();
      if (!path.startsWith("/tile/entries/")) {
        files.handle(ex);
        return;
      }
      int n = bundleRequests.incrementAndGet();
      try {
        if (n == 1) {
          files.handle(ex); // the planner's check that the last bundle exists
        } else if (n == 2) {
          failWhenTheOthersWait(ex, path.substring(1));
        } else {
          slowInFlight.incrementAndGet();
          try {
            var unused = testOver.await(SLOW_RESPONSE.toMillis(), TimeUnit.MILLISECONDS);
          } finally {
            slowInFlight.decrementAndGet();
          }
          files.handle(ex);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ex.close();
      } catch (IOException e) {
        ex.close(); // the client gave up on it: what the test wants
      }
    }

    private void failWhenTheOthersWait(HttpExchange ex, String path)
        throws IOException, InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (slowInFlight.get() < SLOTS - 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      byte[] corrupt = {0, 9, 'x'}; // an entry that claims 9 bytes and has one
      try (ex) {
        ex.sendResponseHeaders(200, corrupt.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(corrupt);
        }
      }
      failedBundle = path;
      failedAt = System.nanoTime();
      slowWhenFailed = slowInFlight.get();
    }
  }

  @Test
  void aFailureWhileSixtyFourSlowFetchesAreInFlightEndsTheRunWithinSeconds() throws Exception {
    SlowSourceWithOneBadBundle server = new SlowSourceWithOneBadBundle();
    Cli.Result r;
    long returnedAt;
    try (StaticLogServer s = new StaticLogServer(source, 0, server)) {
      r =
          Cli.migrate(
              s.url(),
              tmp.resolve("destination"),
              TestLogs.VKEY,
              "--maxConcurrentFetches=" + SLOTS);
      returnedAt = System.nanoTime();
      try (DirectoryLock lock = DirectoryLock.acquire(tmp.resolve("destination"))) {
        // free: released once nothing of the run was left to write
      }
      // The source answers every request still waiting: a fetch of the run still alive would now
      // write its bundle.
      server.testOver.countDown();
      AfterFailedRun.assertNothingChanges(tmp.resolve("destination"), Duration.ofSeconds(2));
    }
    assertEquals(1, r.status(), r.all());
    assertTrue(
        r.err().contains(server.failedBundle + ": entry 0 claims 9 bytes"),
        "the error names the bundle " + server.failedBundle + ": " + r.err());
    // The scenario the README quotes: every other slot held by a slow fetch when the bundle failed.
    assertEquals(SLOTS - 1, server.slowWhenFailed, "slow fetches in flight at the failure");
    Duration tookToExit = Duration.ofNanos(returnedAt - server.failedAt);
    System.out.printf(
        "FailFastTest: %d slow fetches in flight; from the failure to the exit: %d ms%n",
        server.slowWhenFailed, tookToExit.toMillis());
    assertTrue(
        tookToExit.compareTo(Duration.ofSeconds(5)) < 0,
        "the run returned " + tookToExit + " after the failure: " + r.err());
  }
}
