package dev.tlogmigrate.transforms.storage.http;

import dev.tlogmigrate.transforms.secret.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * What every reader of one HTTP source in this process shares: a client with a keep-alive pool of
 * {@link HttpSettings#maxConnections()} connections, the request-rate budget, and a pause that a
 * 429 (or a Retry-After) imposes on all requests, so that many fetches in flight slow down together
 * instead of each retrying on its own. Reference-counted: the last reader to close it closes the
 * pool.
 */
final class SharedHttpClient {
  private static final Map<HttpSettings, SharedHttpClient> OPEN = new HashMap<>();

  private final HttpSettings settings;
  private final CloseableHttpClient client;

  /** {@code Bearer <token>}, read from where the settings say once per process; null for none. */
  private final @Nullable String authorization;

  /** Nanoseconds between the starts of two requests; 0 for no cap. */
  private final long intervalNanos;

  private final AtomicLong pausedUntilNanos = new AtomicLong(System.nanoTime());
  private long nextSlotNanos = System.nanoTime();
  private int users;

  private SharedHttpClient(HttpSettings settings) {
    this.settings = settings;
    this.authorization = authorization(settings.bearerToken());
    Timeout connect = Timeout.of(settings.connectTimeout());
    Timeout response = Timeout.of(settings.responseTimeout());
    PoolingHttpClientConnectionManagerBuilder poolBuilder =
        PoolingHttpClientConnectionManagerBuilder.create();
    // Without extra certificates the JDK's default trust, once an HTTPS connection needs it; with
    // them, made at once, so that a certificate file that does not parse fails the run at its
    // start.
    poolBuilder.setTlsSocketStrategy(
        settings.trustedCertificatesPem() == null
            ? new TlsOnFirstUse(DefaultClientTlsStrategy::createDefault)
            : new DefaultClientTlsStrategy(
                TrustedCertificates.sslContext(settings.trustedCertificatesPem())));
    PoolingHttpClientConnectionManager pool =
        poolBuilder
            .setMaxConnTotal(settings.maxConnections())
            .setMaxConnPerRoute(settings.maxConnections())
            // Small responses (a hash tile, a checkpoint) must not wait for a delayed ACK.
            .setDefaultSocketConfig(
                SocketConfig.custom().setTcpNoDelay(true).setSoTimeout(response).build())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(connect)
                    .setSocketTimeout(response)
                    .build())
            .build();
    // Redirects, decompression and retries are HttpStorage's own: it bounds and counts them.
    client =
        HttpClients.custom()
            .setConnectionManager(pool)
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setConnectionRequestTimeout(response)
                    .setResponseTimeout(response)
                    .build())
            .setUserAgent(settings.userAgent())
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableContentCompression()
            .disableCookieManagement()
            .disableAuthCaching()
            .build();
    intervalNanos =
        settings.maxRequestsPerSecond() > 0
            ? (long) Math.ceil(1e9 / settings.maxRequestsPerSecond())
            : 0;
  }

  static SharedHttpClient acquire(HttpSettings settings) {
    synchronized (OPEN) {
      SharedHttpClient shared = OPEN.computeIfAbsent(settings, SharedHttpClient::new);
      shared.users++;
      return shared;
    }
  }

  void release() throws IOException {
    synchronized (OPEN) {
      if (--users > 0) {
        return;
      }
      OPEN.remove(settings);
    }
    client.close();
  }

  CloseableHttpClient client() {
    return client;
  }

  @Nullable String authorization() {
    return authorization;
  }

  private static @Nullable String authorization(@Nullable Secret token) {
    if (token == null) {
      return null;
    }
    String value;
    try {
      value = token.value().strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException(
          "the bearer token (" + token + ") must be printable ASCII without spaces");
    }
    return "Bearer " + value;
  }

  /**
   * Waits out a pause the source imposed, then for this request's slot under the rate cap: before
   * every request sent. Slots are evenly spaced, never saved up while idle, so no second of the run
   * sees more than the cap (and one).
   */
  void awaitTurn(URI uri) throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      throw HttpStorage.stopped(uri, "before it was sent", null);
    }
    try {
      for (long wait; (wait = pausedUntilNanos.get() - System.nanoTime()) > 0; ) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      if (intervalNanos > 0) {
        TimeUnit.NANOSECONDS.sleep(reserveSlot() - System.nanoTime());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpStorage.stopped(uri, "while waiting for its turn to be sent", e);
    }
  }

  private synchronized long reserveSlot() {
    long slot = Math.max(System.nanoTime(), nextSlotNanos);
    nextSlotNanos = slot + intervalNanos;
    return slot;
  }

  /**
   * Holds every request of this process back for {@code millis} from now (never shortens a pause).
   */
  void pause(long millis) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    pausedUntilNanos.accumulateAndGet(until, (a, b) -> b - a > 0 ? b : a);
  }
}
