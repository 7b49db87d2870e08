package dev.tlogmigrate.transforms.storage;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.time.Duration;

/** Timeouts and retry policy of the HTTP source. */
@AutoValue
public abstract class HttpSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract Duration connectTimeout();

  /**
   * Time allowed for a whole response, headers and body: a trickling body is cut off. A read that
   * stalls just before the deadline ends at the read timeout (this same time), so twice this at worst.
   */
  public abstract Duration responseTimeout();

  public abstract int maxAttempts();

  public abstract Duration initialBackoff();

  public abstract Duration maxBackoff();

  public static HttpSettings defaults() {
    return create(Duration.ofSeconds(10), Duration.ofSeconds(60), 10, Duration.ofMillis(100), Duration.ofSeconds(20));
  }

  public static HttpSettings create(
      Duration connectTimeout, Duration responseTimeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    return new AutoValue_HttpSettings(connectTimeout, responseTimeout, maxAttempts, initialBackoff, maxBackoff);
  }
}
