package dev.tlogmigrate.transforms.tessera.spanner;

import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import dev.tlogmigrate.transforms.storage.gcs.GcpAuth;
import java.lang.reflect.Field;
import org.jspecify.annotations.Nullable;

/**
 * Spanner clients that send nothing but their own requests unless told to. The client (6.113)
 * exports metrics of its own to Cloud Monitoring by default: besides its built-in metrics (a client
 * setting), gRPC metrics that the JVM-wide {@link SpannerOptions.SpannerEnvironment} turns on,
 * whose set-up opens a channel to monitoring.googleapis.com, even for a client of the emulator. And
 * whatever the settings, its first client in a JVM asks the GCP metadata server (by name,
 * metadata.google.internal) which region to put in its traces' attributes. So a client made here
 * runs with an environment that turns the metrics off and is told the region is "global", the
 * answer it gets off Google Cloud, unless the run asked for the client's telemetry on Google's
 * Spanner. LoopbackOnlyTest traces a run to show that nothing else is contacted.
 */
public final class SpannerClients {
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
   * Sets the region the client would otherwise ask the metadata server for, once per JVM ({@code
   * BuiltInMetricsProvider.detectClientLocation}, which every new client's {@code TraceWrapper}
   * calls), to what it falls back to off Google Cloud. A client version without that field is left
   * alone: LoopbackOnlyTest then shows whether it still asks.
   */
  private static void skipRegionDetection() {
    try {
      Field location =
          Class.forName("com.google.cloud.spanner.BuiltInMetricsProvider")
              .getDeclaredField("location");
      location.setAccessible(true);
      if (location.get(null) == null) {
        location.set(null, "global");
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Another client version.
    }
  }

  /**
   * A new client; the caller closes it.
   *
   * @param database what the client is for, named in the error when there are no credentials
   * @param emulatorHost {@code host:port} of an emulator, or null for Google's Spanner
   * @param telemetry whether the client exports its metrics to Cloud Monitoring (never to an
   *     emulator)
   */
  public static synchronized Spanner open(
      String database,
      String project,
      @Nullable String emulatorHost,
      GcpAuth auth,
      boolean telemetry) {
    boolean export = telemetry && emulatorHost == null;
    // Read when the client makes its channels: it must be in place before build(), for every
    // client of this JVM, hence the lock.
    if (export) {
      SpannerOptions.useDefaultEnvironment();
    } else {
      SpannerOptions.useEnvironment(QUIET);
      skipRegionDetection();
    }
    SpannerOptions.Builder options =
        SpannerOptions.newBuilder().setProjectId(project).setBuiltInMetricsEnabled(export);
    if (emulatorHost != null) {
      options.setEmulatorHost(emulatorHost); // the client then sends no credentials
    } else {
      try {
        options.setCredentials(auth.credentials());
      } catch (IllegalStateException e) { // no credentials: named with the database
        throw new IllegalStateException(database + ": " + e.getMessage()); // not the cause
      }
    }
    return options.build().getService();
  }
}
