package dev.tlogmigrate.transforms.storage;

import dev.tlogmigrate.transforms.format.BoundedRead;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
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

/**
 * A log served over HTTP(S), read-only. Retries 5xx, 429 (honouring Retry-After), resets, timeouts
 * and truncated bodies with exponential backoff and jitter; enforces a size limit and a deadline on
 * every response; decodes {@code Content-Encoding: gzip}; follows redirects only within the host.
 *
 * <p>On {@link HttpURLConnection}, with keep-alive connections, rather than the JDK's HttpClient:
 * fetching the 955 MB of a 1M-entry log's bundles on loopback with four threads took 2.0 s of CPU
 * with it and 5.3 s with HttpClient, whose code also cost a 1M-entry migration about 2 s more of
 * JIT compilation. HTTP/2 is given up; bundles are large, so multiplexing buys little. The JDK
 * re-sends a GET once, on a new connection, when a response fails before its headers end; so a
 * server that drops connections sees up to two requests per attempt counted here.
 */
final class HttpStorage implements LogStorage {
  /** Names the tool to log operators reading their access logs. */
  static final String USER_AGENT = "tlog-migrate/0.1 (verified transparency-log mirror)";
  private static final int MAX_REDIRECTS = 5;

  static {
    // Idle keep-alive connections kept per host, 5 by default: fewer than a runner's threads.
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", "64");
    }
  }

  /** Disconnects a request whose response headers outlive the deadline. */
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tlog-migrate-http-watchdog");
        t.setDaemon(true);
        return t;
      });

  private final URI prefix;
  private final HttpSettings settings;
  private final AtomicLong retries = new AtomicLong();

  HttpStorage(URI prefix, HttpSettings settings) {
    this.prefix = prefix;
    this.settings = settings;
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

  @Override
  public void delete(String path) {
    throw new UnsupportedOperationException("an HTTP log is read-only: " + describe(path));
  }

  @Override
  public Optional<byte[]> read(String path, int maxBytes) throws IOException {
    URI uri = prefix.resolve(path);
    IOException last = null;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      if (attempt > 1) {
        retries.incrementAndGet();
      }
      long retryAfterMillis = -1;
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
        last = new IOException("GET " + uri + ": HTTP " + r.status + " after " + attempt + " attempts");
        retryAfterMillis = r.retryAfterMillis;
      } catch (TransientException e) {
        last = new IOException("GET " + uri + ": " + e.getMessage() + " after " + attempt + " attempts", e);
      }
      if (attempt < settings.maxAttempts()) {
        sleepBeforeRetry(attempt, retryAfterMillis); // not after the last attempt: nothing follows it
      }
    }
    throw last;
  }

  private void sleepBeforeRetry(int attempt, long retryAfterMillis) throws IOException {
    long cap = settings.maxBackoff().toMillis();
    long base = Math.min(cap, settings.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
    long delay = retryAfterMillis >= 0
        ? Math.min(cap, retryAfterMillis)
        : base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting to retry", e);
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
      HttpURLConnection conn = open(current);
      long deadline = System.nanoTime() + settings.responseTimeout().toNanos();
      boolean reusable = false;
      try {
        int status = status(conn);
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
          current = redirectTarget(uri, current, conn.getHeaderField("Location"), hop);
          continue;
        }
        if (status != 200) {
          String retryAfter = conn.getHeaderField("Retry-After");
          return new Response(status, null, retryAfter == null ? -1 : parseRetryAfter(retryAfter));
        }
        byte[] body = readBody(conn, uri, maxBytes, deadline);
        reusable = true;
        return new Response(200, body, -1);
      } finally {
        if (!reusable) {
          conn.disconnect(); // nothing more is read from it: not back to the keep-alive pool
        }
      }
    }
  }

  private HttpURLConnection open(URI uri) throws IOException {
    HttpURLConnection conn = (HttpURLConnection) uri.toURL().openConnection();
    conn.setInstanceFollowRedirects(false);
    conn.setUseCaches(false);
    conn.setConnectTimeout(millis(settings.connectTimeout()));
    // A read that stalls. A body that trickles is cut off at the deadline by DeadlineInputStream,
    // so a response ends within twice the deadline at worst (a stall that starts just before it).
    conn.setReadTimeout(millis(settings.responseTimeout()));
    conn.setRequestProperty("User-Agent", USER_AGENT);
    conn.setRequestProperty("Accept-Encoding", "gzip, identity");
    return conn;
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  private String tooSlow() {
    return "response took longer than " + settings.responseTimeout().toMillis() + " ms";
  }

  /**
   * The status, within the deadline: a watchdog disconnects a server that is slow to answer, which
   * unblocks the waiting thread and keeps the JDK from re-sending the request. Only while no body
   * is being read: closing a body stream under its reader can block on the stream's lock.
   */
  private int status(HttpURLConnection conn) throws TransientException {
    AtomicBoolean expired = new AtomicBoolean();
    // Again every second once expired: a disconnect while the connection is still being made (a
    // slow DNS lookup, say) has nothing to close yet.
    long timeout = settings.responseTimeout().toMillis();
    ScheduledFuture<?> watchdog = WATCHDOG.scheduleWithFixedDelay(() -> {
      expired.set(true);
      conn.disconnect();
    }, timeout, 1000, TimeUnit.MILLISECONDS);
    int status;
    try {
      status = conn.getResponseCode();
    } catch (IOException e) {
      throw new TransientException(expired.get() ? tooSlow() : describeFailure(e), e);
    } catch (IllegalArgumentException e) {
      throw new TransientException("malformed response: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (expired.get()) { // HttpURLConnection is not made for a disconnect from another thread
        throw new TransientException(tooSlow(), e);
      }
      throw e;
    } finally {
      watchdog.cancel(false);
    }
    if (expired.get()) {
      throw new TransientException(tooSlow(), null);
    }
    if (status < 0) {
      throw new TransientException("malformed response: no HTTP status line", null);
    }
    return status;
  }

  /** Where a redirect leads, if it stays on the host: a source may move its files, not its trust. */
  private static URI redirectTarget(URI asked, URI current, String location, int hop) throws IOException {
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

  private byte[] readBody(HttpURLConnection conn, URI uri, int maxBytes, long deadline) throws TransientException {
    long declared = contentLength(conn);
    boolean gzip = Optional.ofNullable(conn.getContentEncoding()).map(v -> v.trim().equalsIgnoreCase("gzip")).orElse(false);
    if (!gzip && declared > maxBytes) {
      throw new InvalidLogException(uri + ": Content-Length " + declared + " is more than the " + maxBytes + " bytes a valid resource can have");
    }
    try {
      CountingInputStream counted = new CountingInputStream(new DeadlineInputStream(conn.getInputStream(), deadline));
      InputStream in = gzip ? new GZIPInputStream(counted) : counted;
      byte[] body = BoundedRead.readAtMost(in, maxBytes,
          uri + ": response is larger than the " + maxBytes + " bytes a valid resource can have");
      if (System.nanoTime() - deadline > 0) {
        // GZIPInputStream swallows an exception while it looks for another gzip member, so a body
        // cut off by the deadline can end "normally": never take it for the whole resource.
        throw new TransientException(tooSlow(), null);
      }
      if (declared >= 0 && counted.count() != declared) {
        throw new TransientException("body of " + counted.count() + " bytes, Content-Length said " + declared, null);
      }
      in.close(); // read to the end: the connection goes back to the keep-alive pool
      return body;
    } catch (DeadlineInputStream.Expired e) {
      throw new TransientException(tooSlow(), e);
    } catch (IOException e) {
      throw new TransientException(describeFailure(e), e);
    }
  }

  /** The declared length, -1 if none; one that is not a number is a malformed response. */
  private static long contentLength(HttpURLConnection conn) throws TransientException {
    String value = conn.getHeaderField("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    throw new TransientException("malformed response: Content-Length '" + shown + "'", null);
  }

  private static long parseRetryAfter(String value) {
    try {
      return Math.max(0, Long.parseLong(value.trim())) * 1000;
    } catch (NumberFormatException e) {
      return -1; // An HTTP date: fall back to our own backoff.
    }
  }

  private static String describeFailure(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
