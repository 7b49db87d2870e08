package dev.tlogmigrate.transforms.storage.http;

import com.google.auto.value.AutoValue;
import dev.tlogmigrate.transforms.secret.Secret;
import java.io.Serializable;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the HTTP source is read: timeouts, retry policy, and what a polite client of a live log needs
 * (a bound on connections and request rate, credentials, a contact in the User-Agent). Equal
 * settings share one client, its connection pool and its request budget per process.
 */
@AutoValue
public abstract class HttpSettings implements Serializable {
  private static final long serialVersionUID = 3L;

  /** Names the tool to log operators reading their access logs. */
  static final String USER_AGENT = "tlog-migrate/0.1 (verified transparency-log mirror)";

  public abstract Duration connectTimeout();

  /**
   * Time allowed for a whole response, headers and body: a trickling body is cut off. A read that
   * stalls just before the deadline ends at the read timeout (this same time), so twice this at
   * worst.
   */
  public abstract Duration responseTimeout();

  public abstract int maxAttempts();

  public abstract Duration initialBackoff();

  public abstract Duration maxBackoff();

  /**
   * Connections kept open to the source per process: the fetch concurrency, so no request waits for
   * one.
   */
  public abstract int maxConnections();

  /** Requests started per second per process, retries included; 0 for no cap. */
  public abstract double maxRequestsPerSecond();

  /** Who runs this copy (a URL or mailto:), added to the User-Agent; empty for none. */
  public abstract String userAgentContact();

  /**
   * Sent as {@code Authorization: Bearer ...}: where each process reading the source finds it (see
   * {@link Secret}); never printed.
   */
  public abstract @Nullable Secret bearerToken();

  /**
   * PEM certificates trusted for HTTPS on top of the JDK's default trust (a private CA); null for
   * the defaults alone. The text itself, not a path: workers do not have the launcher's files.
   */
  public abstract @Nullable String trustedCertificatesPem();

  public abstract Builder toBuilder();

  /** These settings without the bearer token: for a stage that reads nothing from the source. */
  public HttpSettings withoutBearerToken() {
    return bearerToken() == null ? this : toBuilder().bearerToken(null).build();
  }

  public String userAgent() {
    return userAgentContact().isEmpty()
        ? USER_AGENT
        : USER_AGENT.substring(0, USER_AGENT.length() - 1) + "; +" + userAgentContact() + ")";
  }

  public static HttpSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new AutoValue_HttpSettings.Builder()
        .connectTimeout(Duration.ofSeconds(10))
        .responseTimeout(Duration.ofSeconds(60))
        .maxAttempts(10)
        .initialBackoff(Duration.ofMillis(100))
        .maxBackoff(Duration.ofSeconds(20))
        .maxConnections(64)
        .maxRequestsPerSecond(0)
        .userAgentContact("");
  }

  /** The settings without the token: these end up in logs and job descriptions. */
  @Override
  public final String toString() {
    return "HttpSettings{connectTimeout="
        + connectTimeout()
        + ", responseTimeout="
        + responseTimeout()
        + ", maxAttempts="
        + maxAttempts()
        + ", backoff="
        + initialBackoff()
        + ".."
        + maxBackoff()
        + ", maxConnections="
        + maxConnections()
        + ", maxRequestsPerSecond="
        + maxRequestsPerSecond()
        + ", userAgent="
        + userAgent()
        + (bearerToken() == null ? "" : ", bearer token from " + bearerToken())
        + (trustedCertificatesPem() == null ? "" : ", extra trusted certificates")
        + "}";
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder connectTimeout(Duration value);

    public abstract Builder responseTimeout(Duration value);

    public abstract Builder maxAttempts(int value);

    public abstract Builder initialBackoff(Duration value);

    public abstract Builder maxBackoff(Duration value);

    public abstract Builder maxConnections(int value);

    public abstract Builder maxRequestsPerSecond(double value);

    public abstract Builder userAgentContact(String value);

    public abstract Builder bearerToken(@Nullable Secret value);

    public abstract Builder trustedCertificatesPem(@Nullable String value);

    abstract HttpSettings autoBuild();

    public HttpSettings build() {
      HttpSettings s = autoBuild();
      if (s.maxAttempts() < 1 || s.maxConnections() < 1 || !(s.maxRequestsPerSecond() >= 0)) {
        throw new IllegalArgumentException("bad HTTP settings: " + s);
      }
      if (s.userAgentContact().chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
        throw new IllegalArgumentException("the User-Agent contact must be printable ASCII");
      }
      if (s.trustedCertificatesPem() != null) {
        TrustedCertificates.parse(
            s.trustedCertificatesPem()); // a bad file fails here, in the launcher
      }
      return s;
    }
  }
}
