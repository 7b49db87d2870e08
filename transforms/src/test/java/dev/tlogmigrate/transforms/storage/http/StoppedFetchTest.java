package dev.tlogmigrate.transforms.storage.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tlogmigrate.transforms.fetch.Interruption;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fetch whose thread is interrupted, which is how a failed run stops its fetches, ends at once
 * wherever it is (a request in flight, a backoff, a pause the source asked for), sends nothing
 * more, and says which resource it was reading.
 */
class StoppedFetchTest {
  private static final String PATH = "tile/entries/007";

  /** Long enough that only an interruption can end a wait within the test. */
  private static final Duration LONG = Duration.ofSeconds(60);

  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch testOver = new CountDownLatch(1);
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch requested = new CountDownLatch(1);
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(executor);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/log/";
  }

  @AfterEach
  void stop() {
    testOver.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private interface Answer {
    void send(HttpExchange ex) throws IOException, InterruptedException;
  }

  private void answer(Answer answer) {
    server.createContext(
        "/log/" + PATH,
        ex -> {
          requests.incrementAndGet();
          requested.countDown();
          try (ex) {
            answer.send(ex);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException e) {
            // the client hung up
          }
        });
  }

  /**
   * Reads PATH on a thread of its own, interrupts that thread as a failed run does once the server
   * has seen the first request and then, with {@code onceWaiting}, once the reader waits (for its
   * backoff or its turn), else after a moment in flight; returns what it threw.
   */
  private InterruptedIOException stopWhileReading(HttpSettings settings, boolean onceWaiting)
      throws Exception {
    AtomicReference<Thread> reader = new AtomicReference<>();
    CompletableFuture<Throwable> thrown =
        CompletableFuture.supplyAsync(
            () -> {
              reader.set(Thread.currentThread());
              try (HttpStorage storage = new HttpStorage(URI.create(base), settings)) {
                storage.read(PATH, 1 << 16);
                return null;
              } catch (IOException e) {
                return e;
              }
            },
            executor);
    assertTrue(requested.await(10, TimeUnit.SECONDS), "the server saw no request");
    if (onceWaiting) {
      awaitWaiting(reader.get());
    } else {
      Thread.sleep(200);
    }
    long interrupted = System.nanoTime();
    Interruption.interrupt(reader.get());
    Throwable t;
    try {
      t = thrown.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      t = e.getCause();
    }
    long tookMillis = (System.nanoTime() - interrupted) / 1_000_000;
    assertTrue(t instanceof InterruptedIOException, String.valueOf(t));
    assertTrue(tookMillis < 2000, "stopped " + tookMillis + " ms after the interruption");
    assertEquals(1, requests.get(), "requests sent");
    return (InterruptedIOException) t;
  }

  /** Waits until {@code t} waits, as a reader between attempts does: a fixed pause may be short. */
  private static void awaitWaiting(Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
      assertTrue(System.nanoTime() < deadline, "the reader never waited: " + t.getState());
      Thread.sleep(5);
    }
  }

  private static HttpSettings.Builder slow() {
    return HttpSettings.builder()
        .responseTimeout(LONG)
        .maxAttempts(5)
        .initialBackoff(LONG)
        .maxBackoff(LONG);
  }

  @Test
  void aRequestInFlightIsAborted() throws Exception {
    answer(ex -> testOver.await()); // never answers within the test

    InterruptedIOException e = stopWhileReading(slow().build(), false);

    assertEquals("GET " + base + PATH + ": stopped while in flight", e.getMessage());
  }

  @Test
  void aBackoffBeforeTheNextAttemptIsCutShort() throws Exception {
    answer(ex -> ex.sendResponseHeaders(503, -1));

    InterruptedIOException e = stopWhileReading(slow().build(), true);

    assertEquals("GET " + base + PATH + ": stopped while waiting to retry", e.getMessage());
  }

  @Test
  void aPauseTheSourceAskedForIsCutShort() throws Exception {
    answer(
        ex -> {
          ex.getResponseHeaders().set("Retry-After", "60");
          ex.sendResponseHeaders(429, -1);
        });

    InterruptedIOException e = stopWhileReading(slow().build(), true);

    assertEquals(
        "GET " + base + PATH + ": stopped while waiting for its turn to be sent", e.getMessage());
  }
}
