package dev.tlogmigrate.transforms.storage;

import dev.tlogmigrate.transforms.format.BoundedRead;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
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
 */
final class HttpStorage implements LogStorage {
  /** Names the tool to log operators reading their access logs. */
  static final String USER_AGENT = "tlog-migrate/0.1 (verified transparency-log mirror)";
  private static final int MAX_REDIRECTS = 5;
  /** Closes response bodies that outlive their deadline, which unblocks the reading thread. */
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tlog-migrate-http-watchdog");
        t.setDaemon(true);
        return t;
      });

  private final URI prefix;
  private final HttpSettings settings;
  private final HttpClient client;
  private final AtomicLong retries = new AtomicLong();

  HttpStorage(URI prefix, HttpSettings settings) {
    this.prefix = prefix;
    this.settings = settings;
    this.client = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        // HTTP/2 where TLS can negotiate it; over cleartext, HTTP/1.1 spares every new connection
        // an h2c upgrade attempt that static file servers ignore.
        .version("https".equals(prefix.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
        .build();
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
      HttpRequest request = HttpRequest.newBuilder(current)
          .GET()
          .timeout(settings.responseTimeout())
          .header("User-Agent", USER_AGENT)
          .header("Accept-Encoding", "gzip, identity")
          .build();
      HttpResponse<InputStream> resp;
      try {
        resp = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new TransientException(describeFailure(e), e);
      } catch (IllegalArgumentException e) {
        // The JDK client's answer to a response it cannot frame, e.g. "Content-Length: lots": left
        // alone, it would escape as an unchecked error that names neither the URL nor the problem.
        throw new TransientException("malformed response: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      int status = resp.statusCode();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        resp.body().close();
        URI next = resp.headers().firstValue("Location").map(current::resolve).orElse(null);
        if (next == null || hop >= MAX_REDIRECTS) {
          throw new IOException("GET " + uri + ": redirect without a usable Location, or too many");
        }
        if (!Objects.equals(next.getScheme(), current.getScheme())
            || !Objects.equals(next.getHost(), current.getHost())
            || next.getPort() != current.getPort()) {
          throw new IOException("GET " + uri + ": refusing redirect to another host: " + next);
        }
        current = next;
        continue;
      }
      if (status != 200) {
        resp.body().close();
        long retryAfter = resp.headers().firstValue("Retry-After").map(HttpStorage::parseRetryAfter).orElse(-1L);
        return new Response(status, null, retryAfter);
      }
      return new Response(200, readBody(resp, uri, maxBytes), -1);
    }
  }

  private byte[] readBody(HttpResponse<InputStream> resp, URI uri, int maxBytes) throws TransientException {
    OptionalLong declared = resp.headers().firstValueAsLong("Content-Length");
    boolean gzip = resp.headers().firstValue("Content-Encoding").map(v -> v.trim().equalsIgnoreCase("gzip")).orElse(false);
    if (!gzip && declared.isPresent() && declared.getAsLong() > maxBytes) {
      closeQuietly(resp.body());
      throw new InvalidLogException(uri + ": Content-Length " + declared.getAsLong() + " is more than the " + maxBytes + " bytes a valid resource can have");
    }
    InputStream raw = resp.body();
    // Set before the body is closed, so that the reader, woken by the close, sees why: the future's
    // isDone() only turns true once the close has returned, which races with the reader.
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> deadline = WATCHDOG.schedule(() -> {
      expired.set(true);
      closeQuietly(raw);
    }, settings.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
    String tooSlow = "response took longer than " + settings.responseTimeout().toMillis() + " ms";
    CountingInputStream counted = new CountingInputStream(raw);
    try (InputStream in = gzip ? new GZIPInputStream(counted) : counted) {
      byte[] body = BoundedRead.readAtMost(in, maxBytes,
          uri + ": response is larger than the " + maxBytes + " bytes a valid resource can have");
      if (expired.get()) {
        // A body cut off by the deadline may end "normally": never take it for the whole resource.
        throw new TransientException(tooSlow, null);
      }
      if (declared.isPresent() && counted.count() != declared.getAsLong()) {
        throw new TransientException("body of " + counted.count() + " bytes, Content-Length said " + declared.getAsLong(), null);
      }
      return body;
    } catch (IOException e) {
      throw new TransientException(expired.get() ? tooSlow : describeFailure(e), e);
    } finally {
      deadline.cancel(false);
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
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // Closing is how we cut a response off; a failure to close changes nothing.
    }
  }
}
