package dev.tlogmigrate.transforms.storage.gcs;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.tlogmigrate.transforms.location.LogLocation;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.jspecify.annotations.Nullable;

/**
 * How to reach GCS, carried by a {@code gs://} {@link LogLocation} to every worker: the JSON API
 * endpoint (Beam's {@code --gcsEndpoint}; null for Google's) and the credentials ({@link GcpAuth}).
 * Equal connections share one client per JVM (a worker), made on first use: the client is
 * thread-safe and holds the connection pool and the access token.
 */
public record GcsConnection(@Nullable String endpoint, GcpAuth auth) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * A project id for endpoints other than Google's: object requests do not use it, and asking for
   * the default would look it up.
   */
  private static final String NO_PROJECT = "tlog-migrate";

  private static final Map<GcsConnection, Storage> CLIENTS = new ConcurrentHashMap<>();

  /** Google's endpoint with Beam's default credentials. */
  public static final GcsConnection DEFAULT = new GcsConnection(null, GcpAuth.DEFAULT);

  public static GcsConnection from(PipelineOptions options) {
    String endpoint = options.as(GcsOptions.class).getGcsEndpoint();
    return new GcsConnection(
        endpoint == null || endpoint.isBlank() ? null : endpoint, GcpAuth.from(options));
  }

  /** This JVM's client for the connection; shared, so never closed by its users. */
  Storage client() {
    return CLIENTS.computeIfAbsent(this, GcsConnection::newClient);
  }

  private static Storage newClient(GcsConnection c) {
    StorageOptions.Builder options =
        StorageOptions.newBuilder().setCredentials(c.auth().credentials());
    if (c.endpoint() != null) {
      options.setHost(c.endpoint()).setProjectId(NO_PROJECT);
    }
    return options.build().getService();
  }
}
