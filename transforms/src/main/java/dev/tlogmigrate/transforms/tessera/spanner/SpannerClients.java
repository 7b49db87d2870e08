package dev.tlogmigrate.transforms.tessera.spanner;

import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import dev.tlogmigrate.transforms.storage.gcs.GcpAuth;
import org.jspecify.annotations.Nullable;

/**
 * Spanner clients that send nothing but their own requests unless told to. The client exports
 * metrics of its own to Cloud Monitoring by default: besides its built-in metrics (a client
 * setting), gRPC metrics that the JVM-wide {@link SpannerOptions.SpannerEnvironment} turns on,
 * whose set-up asks the GCP metadata server where it runs and opens a channel to
 * monitoring.googleapis.com, even for a client of the emulator. So a client made here runs with an
 * environment that turns both off, unless the run asked for the client's telemetry on Google's
 * Spanner.
 */
final class SpannerClients {
  private SpannerClients() {}

  /** The environment of a quiet client: Spanner's defaults, all telemetry off. */
  private static final SpannerOptions.SpannerEnvironment QUIET =
      new SpannerOptions.SpannerEnvironment() {
        @Override
        public boolean isEnableBuiltInMetrics() {
          return false;
        }

        @Override
        public boolean isEnableGRPCBuiltInMetrics() {
          return false;
        }

        @Override
        public boolean isEnableGrpcGcpOtelMetrics() {
          return false;
        }
      };

  /**
   * A new client; the caller closes it.
   *
   * @param emulatorHost {@code host:port} of an emulator, or null for Google's Spanner
   * @param telemetry whether the client exports its metrics to Cloud Monitoring (never to an
   *     emulator)
   */
  static synchronized Spanner open(
      String project, @Nullable String emulatorHost, GcpAuth auth, boolean telemetry) {
    boolean export = telemetry && emulatorHost == null;
    // Read when the client makes its channels: it must be in place before build(), for every
    // client of this JVM, hence the lock.
    if (export) {
      SpannerOptions.useDefaultEnvironment();
    } else {
      SpannerOptions.useEnvironment(QUIET);
    }
    SpannerOptions.Builder options =
        SpannerOptions.newBuilder().setProjectId(project).setBuiltInMetricsEnabled(export);
    if (emulatorHost != null) {
      options.setEmulatorHost(emulatorHost); // the client then sends no credentials
    } else {
      options.setCredentials(auth.credentials());
    }
    return options.build().getService();
  }
}
