package dev.tlogmigrate.transforms.storage.s3;

import dev.tlogmigrate.transforms.location.LogLocation;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * How to reach S3, carried by an {@code s3://} {@link LogLocation} to every worker: an endpoint for
 * an S3-compatible store (null for Amazon's), the region to sign for (null: {@code AWS_REGION} or
 * {@code aws.region}, the profile's, else us-east-1) and whether to address buckets by path ({@code
 * endpoint/bucket/key}; null: exactly when an endpoint is given, as S3-compatible stores rarely
 * serve {@code bucket.endpoint} names). Credentials come from the SDK's default chain on each
 * worker (environment, system properties, profile, container or instance role) and never travel
 * with the job. Equal connections share one client per JVM, made on first use: it is thread-safe
 * and holds the connection pool.
 */
public record S3Connection(
    @Nullable String endpoint, @Nullable String region, @Nullable Boolean pathStyle)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Signing region where none is configured: Amazon's default, and what most stand-ins accept. */
  static final Region FALLBACK_REGION = Region.US_EAST_1;

  /** A connection per fetch of the default concurrency and its writes, with room to spare. */
  private static final int MAX_CONNECTIONS = 128;

  /**
   * Attempts per request (the SDK's standard strategy: backoff with jitter, longer after throttling
   * such as 503 SlowDown); the pipeline retries a failed bundle on top of that.
   */
  private static final int MAX_ATTEMPTS = 6;

  private static final Map<S3Connection, S3Client> CLIENTS = new ConcurrentHashMap<>();

  /** Amazon's endpoint, the configured region, the default credentials. */
  public static final S3Connection DEFAULT = new S3Connection(null, null, null);

  public S3Connection {
    if (endpoint != null) {
      URI uri = URI.create(endpoint);
      if (uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException(
            "--s3Endpoint must be an http(s):// URL with a host, not " + endpoint);
      }
    }
  }

  /** The flags' values, blank meaning unset. */
  public static S3Connection of(
      @Nullable String endpoint, @Nullable String region, @Nullable Boolean pathStyle) {
    return new S3Connection(blankToNull(endpoint), blankToNull(region), pathStyle);
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  boolean usesPathStyle() {
    return pathStyle != null ? pathStyle : endpoint != null;
  }

  /** This JVM's client for the connection; shared, so never closed by its users. */
  S3Client client() {
    return CLIENTS.computeIfAbsent(this, S3Connection::newClient);
  }

  /**
   * The region to sign for. Without one configured, not the SDK's full chain: its last resort asks
   * the instance metadata service, which only exists on EC2; us-east-1 with cross-region access
   * reaches a bucket in any region.
   */
  Region signingRegion() {
    if (region != null) {
      return Region.of(region);
    }
    try {
      return new AwsRegionProviderChain(
              new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
          .getRegion();
    } catch (RuntimeException none) {
      return FALLBACK_REGION;
    }
  }

  private static S3Client newClient(S3Connection c) {
    S3ClientBuilder b =
        S3Client.builder()
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .maxConnections(MAX_CONNECTIONS)
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60)))
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .region(c.signingRegion())
            .forcePathStyle(c.usesPathStyle())
            .overrideConfiguration(
                o ->
                    o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(MAX_ATTEMPTS)
                            .build()));
    if (c.endpoint() != null) {
      b.endpointOverride(URI.create(c.endpoint()));
    } else {
      b.crossRegionAccessEnabled(c.region() == null);
    }
    return b.build();
  }
}
