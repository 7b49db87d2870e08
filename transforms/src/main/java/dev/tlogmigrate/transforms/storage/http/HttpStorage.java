package dev.tlogmigrate.transforms.storage.http;

import dev.tlogmigrate.transforms.fetch.BoundedRead;
import dev.tlogmigrate.transforms.fetch.Interruption;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.NetworkFailure;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

/**
 * A log served over HTTP(S), read-only. Retries 5xx, 429 (honouring Retry-After), resets, timeouts
 * and truncated bodies with exponential backoff and jitter; enforces a size limit and a deadline on
 * every response; decodes {@code Content-Encoding: gzip}; follows redirects only within the host.
 *
 * <p>On Apache HttpClient's classic (blocking) client with a keep-alive pool per {@link
 * SharedHttpClient}, sized by the settings rather than by JVM-wide properties: HttpURLConnection's
 * keep-alive cache is one per JVM and keeps five idle connections per host unless a system property
 * says otherwise, and the JDK's HttpClient cost more than twice the CPU of HttpURLConnection
 * (launcher/benchmark/PROFILE.md). A 429 pauses every request to the source, not only the one
 * answered.
 */
public final class HttpStorage implements LogStorage {
  private static final int MAX_REDIRECTS = 5;

  /** Aborts a request whose response headers outlive the deadline. */
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tlog-migrate-http-watchdog");
            t.setDaemon(true);
            return t;
          });

  private final URI prefix;
  private final HttpSettings settings;
  private final SharedHttpClient shared;
  private final AtomicLong retries = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  public HttpStorage(URI prefix, HttpSettings settings) {
    this.prefix = prefix;
    this.settings = settings;
    this.shared = SharedHttpClient.acquire(settings);
  }

  @Override
  public String describe(String path) {
    return prefix.resolve(path).toString();
  }

  @Override
  public long retries() {
    return retries.get();
  }

  @Override
  public void write(String path, byte[] data) {
    throw new UnsupportedOperationException("an HTTP log is read-only: " + describe(path));
  }

  /**
   * Keeps this process's client for {@code settings} (its connection pool, its request budget) open
   * until the returned hold is closed, across the readers that open and close meanwhile.
   */
  public static Closeable holdClient(HttpSettings settings) {
    return SharedHttpClient.acquire(settings)::release;
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      shared.release();
    }
  }

  @Override
  public Optional<byte[]> read(String path, int maxBytes) throws IOException {
    URI uri = prefix.resolve(path);
    IOException last = null;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      if (attempt > 1) {
        retries.incrementAndGet();
      }
      shared.awaitTurn(uri);
      long retryAfterMillis = -1;
      boolean slowDown = false;
      try {
        Response r = get(uri, maxBytes);
        if (r.status == 200) {
          return Optional.of(r.body);
        }
        if (r.status == 404 || r.status == 410) {
          return Optional.empty();
        }
        if (r.status != 429 && r.status < 500) {
          throw new IOException("GET " + uri + ": HTTP " + r.status);
        }
        last =
            new IOException(
                "GET " + uri + ": HTTP " + r.status + " after " + attempt + " attempts");
        retryAfterMillis = r.retryAfterMillis;
        slowDown = r.status == 429 || retryAfterMillis >= 0;
      } catch (TransientException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw stopped(uri, "while in flight", e);
        }
        last =
            new IOException(
                "GET " + uri + ": " + e.getMessage() + " after " + attempt + " attempts", e);
      }
      if (attempt < settings.maxAttempts()) {
        waitBeforeRetry(
            uri, attempt, retryAfterMillis, slowDown); // not after the last: nothing follows it
      }
    }
    throw last;
  }

  /**
   * The read of a thread that was interrupted, which is how a failed run stops its fetches: no
   * further attempt, and the resource named.
   */
  static InterruptedIOException stopped(URI uri, String when, Throwable cause) {
    InterruptedIOException e = new InterruptedIOException("GET " + uri + ": stopped " + when);
    e.initCause(cause);
    return e;
  }

  /**
   * Backs off before the next attempt. When the source asked to slow down (429, or any Retry-After)
   * every request to it waits, through the shared pause; otherwise only this one.
   */
  private void waitBeforeRetry(URI uri, int attempt, long retryAfterMillis, boolean slowDown)
      throws IOException {
    long cap = settings.maxBackoff().toMillis();
    long base = Math.min(cap, settings.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
    long delay =
        retryAfterMillis >= 0
            ? Math.min(cap, retryAfterMillis)
            : base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    if (slowDown) {
      shared.pause(delay); // awaitTurn waits it out before the next attempt
      return;
    }
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw stopped(uri, "while waiting to retry", e);
    }
  }

  private record Response(int status, byte[] body, long retryAfterMillis) {}

  /** Failures worth another attempt: the same request may well succeed next time. */
  private static final class TransientException extends Exception {
    TransientException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private Response get(URI uri, int maxBytes) throws IOException, TransientException {
    URI current = uri;
    for (int hop = 0; ; hop++) {
      long deadline = System.nanoTime() + settings.responseTimeout().toNanos();
      HttpGet request = request(current);
      // Interrupting this thread (a failed run stopping its fetches) aborts the request, which a
      // blocking socket read would not notice.
      try (Interruption.Registration abort = Interruption.onInterrupt(request::cancel)) {
        ClassicHttpResponse response = execute(request, current);
        boolean readToTheEnd = false;
        try {
          int status = response.getCode();
          if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
            current = redirectTarget(uri, current, header(response, "Location"), hop);
            continue;
          }
          if (status != 200) {
            String retryAfter = header(response, "Retry-After");
            return new Response(
                status, null, retryAfter == null ? -1 : parseRetryAfter(retryAfter));
          }
          byte[] body = readBody(response, uri, maxBytes, deadline);
          readToTheEnd = true; // the connection goes back to the keep-alive pool
          return new Response(200, body, -1);
        } finally {
          if (readToTheEnd) {
            response.close();
          } else {
            // Closing an unread response would read the rest of its body to keep the connection,
            // however long or slow it is: drop the connection instead.
            request.cancel();
            closeDropped(response);
          }
        }
      }
    }
  }

  private HttpGet request(URI uri) {
    HttpGet get = new HttpGet(uri);
    get.setHeader("Accept-Encoding", "gzip, identity");
    if (shared.authorization() != null) {
      get.setHeader("Authorization", shared.authorization()); // redirects stay on the host
    }
    return get;
  }

  /**
   * Sends the request and returns once the response headers are in, within the deadline: a watchdog
   * aborts a server that is slow to answer (or trickles its headers). The body has its own
   * deadline. A refused certificate is an IOException, not retried; other failures are transient.
   */
  private ClassicHttpResponse execute(HttpGet get, URI uri) throws IOException, TransientException {
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> watchdog =
        WATCHDOG.schedule(
            () -> {
              expired.set(true);
              get.cancel();
            },
            settings.responseTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    ClassicHttpResponse response;
    try {
      response = shared.client().executeOpen(null, get, null);
    } catch (IOException e) {
      Optional<String> refused =
          expired.get() ? Optional.empty() : CertificateProblem.reason(e, uri.getHost());
      if (refused.isPresent()) {
        // Not retried, and without the handshake's exception as its cause: the reason is all an
        // operator needs.
        throw new IOException("GET " + uri + ": TLS certificate refused: " + refused.get());
      }
      throw new TransientException(expired.get() ? tooSlow() : describeFailure(e), e);
    } finally {
      watchdog.cancel(false);
    }
    if (expired.get()) {
      closeDropped(response);
      throw new TransientException(tooSlow(), null);
    }
    return response;
  }

  /** Closes the response of a cancelled request: its connection is gone, so closing may fail. */
  private static void closeDropped(ClassicHttpResponse response) {
    try {
      response.close();
    } catch (IOException e) {
      // nothing left to release; what failed the request has been reported
    }
  }

  private static String header(ClassicHttpResponse response, String name) {
    Header h = response.getFirstHeader(name);
    return h == null ? null : h.getValue();
  }

  private String tooSlow() {
    return "response took longer than " + settings.responseTimeout().toMillis() + " ms";
  }

  /**
   * Where a redirect leads, if it stays on the host: a source may move its files, not its trust.
   */
  private static URI redirectTarget(URI asked, URI current, String location, int hop)
      throws IOException {
    URI next;
    try {
      next = location == null ? null : current.resolve(location);
    } catch (IllegalArgumentException e) {
      next = null;
    }
    if (next == null || hop >= MAX_REDIRECTS) {
      throw new IOException("GET " + asked + ": redirect without a usable Location, or too many");
    }
    if (!Objects.equals(next.getScheme(), current.getScheme())
        || !Objects.equals(next.getHost(), current.getHost())
        || next.getPort() != current.getPort()) {
      throw new IOException("GET " + asked + ": refusing redirect to another host: " + next);
    }
    return next;
  }

  private byte[] readBody(ClassicHttpResponse response, URI uri, int maxBytes, long deadline)
      throws TransientException {
    HttpEntity entity = response.getEntity();
    if (entity == null) {
      return new byte[0];
    }
    long declared =
        entity.getContentLength(); // -1 for none; the client refuses one that is not a number
    boolean gzip =
        Optional.ofNullable(header(response, "Content-Encoding"))
            .map(v -> v.trim().equalsIgnoreCase("gzip"))
            .orElse(false);
    if (!gzip && declared > maxBytes) {
      throw new InvalidLogException(
          uri
              + ": Content-Length "
              + declared
              + " is more than the "
              + maxBytes
              + " bytes a valid resource can have");
    }
    try {
      CountingInputStream counted =
          new CountingInputStream(new DeadlineInputStream(entity.getContent(), deadline));
      InputStream in = gzip ? new GZIPInputStream(counted) : counted;
      byte[] body =
          !gzip && declared >= 0
              ? BoundedRead.readDeclared(
                  in, (int) declared, uri.toString()) // no growing buffer, no copy
              : BoundedRead.readAtMost(
                  in,
                  maxBytes,
                  uri.toString(),
                  uri
                      + ": response is larger than the "
                      + maxBytes
                      + " bytes a valid resource can have");
      if (System.nanoTime() - deadline > 0) {
        // GZIPInputStream swallows an exception while it looks for another gzip member, so a body
        // cut off by the deadline can end "normally": never take it for the whole resource.
        throw new TransientException(tooSlow(), null);
      }
      if (declared >= 0 && counted.count() != declared) {
        throw new TransientException(
            "body of " + counted.count() + " bytes, Content-Length said " + declared, null);
      }
      in.close(); // read to the end: the connection goes back to the keep-alive pool
      return body;
    } catch (DeadlineInputStream.Expired e) {
      throw new TransientException(tooSlow(), e);
    } catch (IOException e) {
      throw new TransientException(describeFailure(e), e);
    }
  }

  private static long parseRetryAfter(String value) {
    try {
      return Math.max(0, Long.parseLong(value.trim())) * 1000;
    } catch (NumberFormatException e) {
      return -1; // An HTTP date: fall back to our own backoff.
    }
  }

  private static String describeFailure(IOException e) {
    if (e instanceof ClientProtocolException && e.getCause() != null) {
      return "malformed response: " + e.getCause().getMessage(); // a bad status line or header
    }
    return NetworkFailure.describe(e);
  }
}
