package dev.tlogmigrate.transforms.storage.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HttpStorage against servers that lie, stall, redirect away or flood: every failure is bounded in
 * time and memory, retried only when another attempt may succeed, and reported in one line that
 * names the URL. Real HTTP on loopback (the JDK's HttpServer; a raw socket where HttpServer cannot
 * misbehave enough), short timeouts.
 */
class HostileHttpTest {
  private static final int LIMIT = 4096;
  private static final int ATTEMPTS = 3;

  /**
   * The deadline of the tests that stall: short. The others get a generous one, so that a slow
   * first request on a loaded machine is not a timeout (and a retry the test did not expect).
   */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(400);

  private static final Duration GENEROUS = Duration.ofSeconds(10);

  /**
   * Short backoff: a retry that ignores Retry-After comes back within a few tens of milliseconds.
   */
  private static final HttpSettings SETTINGS =
      HttpSettings.builder()
          .connectTimeout(GENEROUS)
          .responseTimeout(GENEROUS)
          .maxAttempts(ATTEMPTS)
          .initialBackoff(Duration.ofMillis(10))
          .maxBackoff(Duration.ofMillis(40))
          .build();

  private static final HttpSettings IMPATIENT =
      SETTINGS.toBuilder().responseTimeout(RESPONSE_TIMEOUT).build();

  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "hostile-http");
            t.setDaemon(true);
            return t;
          });

  /** Released at the end of each test: handlers that stall forever wait on it. */
  private final CountDownLatch done = new CountDownLatch(1);

  private final Map<String, List<Long>> requests = new ConcurrentHashMap<>();
  private HttpServer server;
  private HttpServer other;
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = newServer();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/log/";
  }

  @AfterEach
  void stop() {
    done.countDown();
    server.stop(0);
    if (other != null) {
      other.stop(0);
    }
    executor.shutdownNow();
  }

  private HttpServer newServer() throws IOException {
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    s.setExecutor(executor);
    s.start();
    return s;
  }

  /** Serves path on server, recording when each request came. */
  private void serve(HttpServer on, String path, HttpHandler handler) {
    on.createContext(
        path,
        ex -> {
          requests
              .computeIfAbsent(ex.getRequestURI().getPath(), k -> new CopyOnWriteArrayList<>())
              .add(System.nanoTime());
          try (ex) {
            handler.handle(ex);
          } catch (IOException e) {
            // The client hung up on a hostile response: that is the point.
          }
        });
  }

  private void serve(String path, HttpHandler handler) {
    serve(server, "/log/" + path, handler);
  }

  private int requestCount(String path) {
    return requests.getOrDefault(path, List.of()).size();
  }

  private HttpStorage storage() {
    return storage(SETTINGS);
  }

  private HttpStorage storage(HttpSettings settings) {
    return new HttpStorage(URI.create(base), settings);
  }

  private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  /** Chunked: no Content-Length, so only the client's own count can stop it. */
  private static void respondChunked(HttpExchange ex, byte[] body) throws IOException {
    ex.sendResponseHeaders(200, 0);
    ex.getResponseBody().write(body);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  /** One line, naming the URL the storage was asked for. */
  private void assertOneLineNaming(Throwable e, String path) {
    String m = e.getMessage();
    assertTrue(
        m != null && m.contains(base + path), "message does not name " + base + path + ": " + m);
    assertFalse(m.contains("\n") || m.contains("\r"), "message is not one line: " + m);
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  // ---- Size limits ----

  @Test
  void bodyWithinTheLimitIsReturned() throws IOException {
    byte[] body = bytes(LIMIT);
    serve("ok", ex -> respond(ex, 200, body));
    serve("ok-chunked", ex -> respondChunked(ex, body));

    assertArrayEquals(body, storage().read("ok", LIMIT).orElseThrow());
    assertArrayEquals(body, storage().read("ok-chunked", LIMIT).orElseThrow());
  }

  @Test
  void aRefusedConnectionIsSaidInWordsWithItsUrl() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/log/";
    try (HttpStorage refused = new HttpStorage(URI.create(url), SETTINGS)) {
      IOException e = assertThrows(IOException.class, () -> refused.read("checkpoint", 100));
      assertEquals(
          "GET " + url + "checkpoint: connection refused after " + ATTEMPTS + " attempts",
          e.getMessage());
    }
  }

  @Test
  void declaredContentLengthOverTheLimitIsRefusedBeforeTheBodyIsRead() {
    // 64 MiB promised: refused from the header alone, not downloaded, not retried.
    serve(
        "big",
        ex -> {
          ex.sendResponseHeaders(200, 64L << 20);
          OutputStream os = ex.getResponseBody();
          byte[] chunk = new byte[1 << 16];
          for (int i = 0; i < 1024; i++) {
            os.write(chunk);
          }
        });

    HttpStorage storage = storage();
    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> storage.read("big", LIMIT));

    assertOneLineNaming(e, "big");
    assertTrue(e.getMessage().contains("Content-Length " + (64L << 20)), e.getMessage());
    assertEquals(0, storage.retries(), "an oversized resource is not worth retrying");
  }

  @Test
  void bodyOverTheLimitWithoutContentLengthIsCutOff() {
    serve("big", ex -> respondChunked(ex, bytes(LIMIT + 1)));

    HttpStorage storage = storage();
    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> storage.read("big", LIMIT));

    assertOneLineNaming(e, "big");
    assertTrue(e.getMessage().contains("larger than the " + LIMIT + " bytes"), e.getMessage());
    assertEquals(0, storage.retries());
  }

  @Test
  void endlessBodyIsCutOffAtTheLimitNotAtTheDeadline() {
    // A body that never ends, as fast as loopback goes: memory is bounded by the limit and the
    // failure comes from the size, long before the (generous) response deadline.
    serve(
        "endless",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          OutputStream os = ex.getResponseBody();
          byte[] chunk = new byte[1 << 14];
          while (done.getCount() > 0) {
            os.write(chunk);
          }
        });

    long started = System.nanoTime();
    InvalidLogException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () ->
                assertThrows(InvalidLogException.class, () -> storage().read("endless", 1 << 20)));

    assertOneLineNaming(e, "endless");
    assertTrue(
        millisSince(started) < GENEROUS.toMillis() / 2, "took " + millisSince(started) + " ms");
  }

  @Test
  void gzipBodyIsDecoded() throws IOException {
    byte[] body = bytes(LIMIT);
    byte[] compressed = gzip(body);
    serve(
        "gz",
        ex -> {
          ex.getResponseHeaders().set("Content-Encoding", "gzip");
          respond(ex, 200, compressed);
        });

    assertArrayEquals(body, storage().read("gz", LIMIT).orElseThrow());
  }

  @Test
  void gzipBombIsCutOffAtTheLimitOfTheDecodedBytes() throws IOException {
    // 64 MiB of zeros compress to about 64 KiB: small on the wire, far past the limit once
    // inflated.
    byte[] bomb = gzip(new byte[64 << 20]);
    assertTrue(bomb.length < (1 << 17), "bomb of " + bomb.length + " bytes");
    serve(
        "bomb",
        ex -> {
          ex.getResponseHeaders().set("Content-Encoding", "gzip");
          respond(ex, 200, bomb);
        });
    serve(
        "bomb-chunked",
        ex -> {
          ex.getResponseHeaders().set("Content-Encoding", "gzip");
          respondChunked(ex, bomb);
        });

    for (String path : List.of("bomb", "bomb-chunked")) {
      HttpStorage storage = storage();
      InvalidLogException e =
          assertThrows(InvalidLogException.class, () -> storage.read(path, 1 << 20));
      assertOneLineNaming(e, path);
      assertTrue(
          e.getMessage().contains("larger than the " + (1 << 20) + " bytes"), e.getMessage());
      assertEquals(0, storage.retries());
    }
  }

  // ---- Time limits ----

  @Test
  void tricklingBodyWithContentLengthFailsWithinTheDeadline() {
    serve("trickle", ex -> trickle(ex, 100_000));
    assertTrickleIsCutOff("trickle");
  }

  @Test
  void tricklingChunkedBodyFailsWithinTheDeadline() {
    serve("trickle", ex -> trickle(ex, 0));
    assertTrickleIsCutOff("trickle");
  }

  private void trickle(HttpExchange ex, long contentLength) throws IOException {
    ex.sendResponseHeaders(200, contentLength);
    trickle(ex.getResponseBody());
  }

  /** One byte every 20 ms, until the test ends: never idle long enough for a read timeout. */
  private void trickle(OutputStream out) throws IOException {
    try {
      while (!done.await(20, TimeUnit.MILLISECONDS)) {
        out.write('x');
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void assertTrickleIsCutOff(String path) {
    long started = System.nanoTime();
    IOException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(15),
            () -> assertThrows(IOException.class, () -> storage(IMPATIENT).read(path, 1 << 20)));
    long elapsed = millisSince(started);

    assertOneLineNaming(e, path);
    assertTrue(e.getMessage().contains("took longer than"), e.getMessage());
    assertEquals(
        ATTEMPTS,
        requestCount("/log/" + path),
        "a stalled response is retried, a bounded number of times");
    // Each attempt gets its deadline, plus a little backoff.
    assertTrue(
        elapsed >= ATTEMPTS * RESPONSE_TIMEOUT.toMillis(), "gave up after " + elapsed + " ms");
    assertTrue(
        elapsed < ATTEMPTS * (RESPONSE_TIMEOUT.toMillis() + 1500), "took " + elapsed + " ms");
  }

  @Test
  void serverThatNeverAnswersTimesOut() {
    serve(
        "silent",
        ex -> {
          try {
            done.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });

    long started = System.nanoTime();
    IOException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(15),
            () -> assertThrows(IOException.class, () -> storage(IMPATIENT).read("silent", LIMIT)));
    long elapsed = millisSince(started);

    assertOneLineNaming(e, "silent");
    assertTrue(e.getMessage().contains("after " + ATTEMPTS + " attempts"), e.getMessage());
    assertEquals(ATTEMPTS, requestCount("/log/silent"));
    assertTrue(
        elapsed < ATTEMPTS * (RESPONSE_TIMEOUT.toMillis() + 1500), "took " + elapsed + " ms");
  }

  @Test
  void tricklingHeadersFailWithinTheDeadline() throws IOException {
    // One header byte every 20 ms: the read timeout never fires; the deadline must.
    try (RawServer raw =
        new RawServer(
            out -> {
              out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(US_ASCII));
              trickle(out);
            })) {
      base = raw.url();
      long started = System.nanoTime();
      IOException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(15),
              () -> assertThrows(IOException.class, () -> storage(IMPATIENT).read("slow", LIMIT)));
      long elapsed = millisSince(started);

      assertOneLineNaming(e, "slow");
      assertTrue(e.getMessage().contains("took longer than"), e.getMessage());
      assertEquals(
          ATTEMPTS, raw.connections(), "a disconnect must also stop the JDK from re-sending");
      assertTrue(
          elapsed < ATTEMPTS * (RESPONSE_TIMEOUT.toMillis() + 1500), "took " + elapsed + " ms");
    }
  }

  // ---- Redirects ----

  @Test
  void redirectWithinTheHostIsFollowed() throws IOException {
    byte[] body = bytes(100);
    serve(
        "moved",
        ex -> {
          ex.getResponseHeaders().set("Location", "/log/here");
          respond(ex, 302, new byte[0]);
        });
    serve(
        "moved-absolute",
        ex -> {
          ex.getResponseHeaders().set("Location", base + "here");
          respond(ex, 301, new byte[0]);
        });
    serve("here", ex -> respond(ex, 200, body));

    assertArrayEquals(body, storage().read("moved", LIMIT).orElseThrow());
    assertArrayEquals(body, storage().read("moved-absolute", LIMIT).orElseThrow());
    assertEquals(2, requestCount("/log/here"));
  }

  @Test
  void redirectToAnotherHostIsRefused() throws IOException {
    other = newServer();
    serve(other, "/", ex -> respond(ex, 200, bytes(100)));
    int port = server.getAddress().getPort();
    Map<String, String> targets =
        Map.of(
            "to-other-port", "http://127.0.0.1:" + other.getAddress().getPort() + "/log/x",
            "to-other-name",
                "http://localhost:" + port + "/log/x", // same server, another host name
            "to-other-scheme", "https://127.0.0.1:" + port + "/log/x",
            "scheme-relative", "//localhost:" + other.getAddress().getPort() + "/log/x");
    for (Map.Entry<String, String> t : targets.entrySet()) {
      serve(
          t.getKey(),
          ex -> {
            ex.getResponseHeaders().set("Location", t.getValue());
            respond(ex, 307, new byte[0]);
          });
    }
    serve("x", ex -> respond(ex, 200, bytes(100)));

    for (String path : targets.keySet()) {
      HttpStorage storage = storage();
      IOException e = assertThrows(IOException.class, () -> storage.read(path, LIMIT), path);
      assertOneLineNaming(e, path);
      assertTrue(e.getMessage().contains("refusing redirect to another host"), e.getMessage());
      assertEquals(0, storage.retries(), "a refused redirect is not retried");
    }
    assertEquals(0, requestCount("/log/x"), "followed a redirect");
  }

  @Test
  void redirectLoopIsBounded() {
    serve(
        "loop",
        ex -> {
          ex.getResponseHeaders().set("Location", "/log/loop");
          respond(ex, 302, new byte[0]);
        });

    IOException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> assertThrows(IOException.class, () -> storage().read("loop", LIMIT)));

    assertOneLineNaming(e, "loop");
    assertTrue(requestCount("/log/loop") <= 10, requestCount("/log/loop") + " requests");
  }

  // ---- Status codes and retries ----

  @Test
  void notFoundAndGoneAreAbsentForbiddenIsAnError() throws IOException {
    serve("missing", ex -> respond(ex, 404, new byte[0]));
    serve("gone", ex -> respond(ex, 410, new byte[0]));
    serve("forbidden", ex -> respond(ex, 403, new byte[0]));

    HttpStorage storage = storage();
    assertEquals(Optional.empty(), storage.read("missing", LIMIT));
    assertEquals(Optional.empty(), storage.read("gone", LIMIT));
    IOException e = assertThrows(IOException.class, () -> storage.read("forbidden", LIMIT));

    assertOneLineNaming(e, "forbidden");
    assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
    // Definite answers: none of them is retried.
    assertEquals(0, storage.retries());
    assertEquals(1, requestCount("/log/missing"));
    assertEquals(1, requestCount("/log/gone"));
    assertEquals(1, requestCount("/log/forbidden"));
  }

  @Test
  void serverErrorsAreRetriedABoundedNumberOfTimes() {
    serve("broken", ex -> respond(ex, 503, new byte[0]));
    HttpStorage storage = storage();

    IOException e = assertThrows(IOException.class, () -> storage.read("broken", LIMIT));

    assertOneLineNaming(e, "broken");
    assertTrue(e.getMessage().contains("HTTP 503 after " + ATTEMPTS + " attempts"), e.getMessage());
    assertEquals(ATTEMPTS, requestCount("/log/broken"));
    assertEquals(ATTEMPTS - 1, storage.retries());
  }

  @Test
  void tooManyRequestsWaitsForRetryAfter() throws IOException {
    byte[] body = bytes(100);
    serve(
        "busy",
        ex -> {
          if (requestCount("/log/busy") == 1) {
            ex.getResponseHeaders().set("Retry-After", "1");
            respond(ex, 429, new byte[0]);
          } else {
            respond(ex, 200, body);
          }
        });
    // The backoff alone would come back after 10..40 ms; Retry-After asks for a second.
    HttpSettings patient = SETTINGS.toBuilder().maxBackoff(Duration.ofSeconds(5)).build();

    assertArrayEquals(body, storage(patient).read("busy", LIMIT).orElseThrow());

    List<Long> at = requests.get("/log/busy");
    assertEquals(2, at.size());
    long waited = TimeUnit.NANOSECONDS.toMillis(at.get(1) - at.get(0));
    assertTrue(
        waited >= 950 && waited < 3000, "retried after " + waited + " ms, Retry-After said 1 s");
  }

  @Test
  void retryAfterIsCappedByTheMaximumBackoff() {
    serve(
        "busy",
        ex -> {
          ex.getResponseHeaders().set("Retry-After", "86400");
          respond(ex, 429, new byte[0]);
        });

    long started = System.nanoTime();
    IOException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> assertThrows(IOException.class, () -> storage().read("busy", LIMIT)));

    assertOneLineNaming(e, "busy");
    assertTrue(e.getMessage().contains("HTTP 429 after " + ATTEMPTS + " attempts"), e.getMessage());
    assertEquals(ATTEMPTS, requestCount("/log/busy"));
    assertTrue(
        millisSince(started) < 2000,
        "a server cannot stall us for a day: " + millisSince(started) + " ms");
  }

  @Test
  void noWaitAfterTheLastAttempt() {
    // Two attempts, each answered "come back in a second": one wait between them, none after.
    serve(
        "busy",
        ex -> {
          ex.getResponseHeaders().set("Retry-After", "1");
          respond(ex, 503, new byte[0]);
        });
    HttpSettings twice =
        SETTINGS.toBuilder().maxAttempts(2).maxBackoff(Duration.ofSeconds(5)).build();

    long started = System.nanoTime();
    IOException e = assertThrows(IOException.class, () -> storage(twice).read("busy", LIMIT));
    long elapsed = millisSince(started);

    assertOneLineNaming(e, "busy");
    assertEquals(2, requestCount("/log/busy"));
    assertTrue(
        elapsed >= 950 && elapsed < 1900, "gave up after " + elapsed + " ms, want about 1 s");
  }

  // ---- Content-Length that lies ----

  @Test
  void shortBodyIsRetriedThenReportedClearly() {
    serve(
        "short",
        ex -> {
          ex.sendResponseHeaders(200, 1000);
          ex.getResponseBody().write(new byte[10]);
        });

    IOException e = assertThrows(IOException.class, () -> storage().read("short", LIMIT));

    assertOneLineNaming(e, "short");
    assertTrue(e.getMessage().contains("after " + ATTEMPTS + " attempts"), e.getMessage());
    assertEquals(ATTEMPTS, requestCount("/log/short"));
  }

  @Test
  void shortBodyOnceThenTheWholeOne() throws IOException {
    byte[] body = bytes(1000);
    serve(
        "flaky",
        ex -> {
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body, 0, requestCount("/log/flaky") == 1 ? 10 : body.length);
        });

    assertArrayEquals(body, storage().read("flaky", LIMIT).orElseThrow());
    assertEquals(2, requestCount("/log/flaky"));
  }

  @Test
  void gzipBodyShorterThanItsContentLengthIsRetried() throws IOException {
    // The compressed body is complete, so it inflates fine; but the response promised more bytes
    // than came. Only the comparison of the count with Content-Length tells.
    byte[] compressed = gzip(bytes(1000));
    try (RawServer raw =
        new RawServer(
            out -> {
              out.write(
                  ("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: "
                          + (compressed.length + 100)
                          + "\r\nConnection: close\r\n\r\n")
                      .getBytes(US_ASCII));
              out.write(compressed);
            })) {
      base = raw.url();
      IOException e = assertThrows(IOException.class, () -> storage().read("gz", LIMIT));
      assertOneLineNaming(e, "gz");
      assertEquals(ATTEMPTS, raw.connections());
    }
  }

  @Test
  void contentLengthThatIsNotANumberIsAClearError() throws IOException {
    try (RawServer raw =
        new RawServer(
            out ->
                out.write(
                    "HTTP/1.1 200 OK\r\nContent-Length: lots\r\nConnection: close\r\n\r\nhello"
                        .getBytes(US_ASCII)))) {
      base = raw.url();
      IOException e = assertThrows(IOException.class, () -> storage().read("nan", LIMIT));
      assertOneLineNaming(e, "nan");
      assertTrue(e.getMessage().contains("malformed response"), e.getMessage());
      assertEquals(ATTEMPTS, raw.connections());
    }
  }

  @Test
  void connectionDroppedBeforeTheHeadersIsRetriedABoundedNumberOfTimes() throws IOException {
    try (RawServer raw = new RawServer(out -> {})) {
      base = raw.url();
      HttpStorage storage = storage();
      IOException e = assertThrows(IOException.class, () -> storage.read("dropped", LIMIT));
      assertOneLineNaming(e, "dropped");
      assertTrue(e.getMessage().contains("after " + ATTEMPTS + " attempts"), e.getMessage());
      assertEquals(ATTEMPTS - 1, storage.retries());
      // The JDK re-sends a GET once when the response breaks off before its headers end.
      assertTrue(
          raw.connections() >= ATTEMPTS && raw.connections() <= 2 * ATTEMPTS,
          raw.connections() + " connections");
    }
  }

  // ---- TLS: what a server can do to the handshake ----

  @Test
  void serverThatStallsMidHandshakeIsBoundedByTheDeadline() throws IOException {
    // The ClientHello is answered with the first bytes of a ServerHello record, then nothing.
    try (RawServer raw =
        new RawServer(
            out -> {
              out.write(new byte[] {0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00});
              out.flush();
              done.await(10, TimeUnit.SECONDS);
            },
            true)) {
      base = raw.url();
      long started = System.nanoTime();
      IOException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(15),
              () ->
                  assertThrows(IOException.class, () -> storage(IMPATIENT).read("stalled", LIMIT)));
      long elapsed = millisSince(started);

      assertOneLineNaming(e, "stalled");
      assertTrue(e.getMessage().contains("after " + ATTEMPTS + " attempts"), e.getMessage());
      assertEquals(ATTEMPTS, raw.connections());
      assertTrue(
          elapsed < ATTEMPTS * (RESPONSE_TIMEOUT.toMillis() + 1500), "took " + elapsed + " ms");
    }
  }

  @Test
  void handshakeCutOffIsRetriedUnlikeARefusedCertificate() throws IOException {
    // No certificate was judged: another attempt may well get through.
    try (RawServer raw = new RawServer(out -> {}, true)) {
      base = raw.url();
      IOException e = assertThrows(IOException.class, () -> storage().read("cut", LIMIT));
      assertOneLineNaming(e, "cut");
      assertTrue(e.getMessage().contains("after " + ATTEMPTS + " attempts"), e.getMessage());
      assertEquals(ATTEMPTS, raw.connections());
    }
  }

  /**
   * Answers every connection with the same raw bytes, whatever was asked: lies HttpServer won't
   * tell.
   */
  private final class RawServer implements AutoCloseable {
    interface Response {
      void write(OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final boolean tls;

    RawServer(Response response) throws IOException {
      this(response, false);
    }

    /**
     * With tls, for an https:// URL: answers the first bytes the client sends (its ClientHello).
     */
    RawServer(Response response, boolean tls) throws IOException {
      this.tls = tls;
      executor.execute(
          () -> {
            while (!socket.isClosed()) {
              try {
                Socket s = socket.accept();
                accepted.add(s);
                executor.execute(
                    () -> {
                      try (s) {
                        if (tls) {
                          s.getInputStream().read(new byte[16384]);
                        } else {
                          readRequestHead(s.getInputStream());
                        }
                        response.write(s.getOutputStream());
                        s.getOutputStream().flush();
                      } catch (IOException | InterruptedException e) {
                        // Client gone, or the test over.
                      }
                    });
              } catch (IOException e) {
                return;
              }
            }
          });
    }

    String url() {
      return (tls ? "https" : "http") + "://127.0.0.1:" + socket.getLocalPort() + "/log/";
    }

    int connections() {
      return accepted.size();
    }

    private void readRequestHead(InputStream in) throws IOException {
      byte[] end = "\r\n\r\n".getBytes(US_ASCII);
      byte[] last = new byte[4];
      int b;
      while ((b = in.read()) >= 0) {
        System.arraycopy(last, 1, last, 0, 3);
        last[3] = (byte) b;
        if (Arrays.equals(last, end)) {
          return;
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
