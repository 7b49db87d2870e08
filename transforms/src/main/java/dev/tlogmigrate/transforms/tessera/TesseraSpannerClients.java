package dev.tlogmigrate.transforms.tessera;

import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes the Spanner client for a {@link TesseraSpannerConfig}: Application Default Credentials, or
 * the Cloud Spanner emulator when {@code SPANNER_EMULATOR_HOST} is set (the client reads it itself).
 *
 * <p>Tests in this JVM can point every client at an emulator they started, without the environment
 * variable ({@link #useEmulator}); the registry is static, so it reaches the DoFns a DirectRunner
 * runs in the same JVM. On Dataflow nothing is registered.
 */
public final class TesseraSpannerClients {
  private static final AtomicReference<String> EMULATOR = new AtomicReference<>();
  /**
   * The client logs its whole configuration at INFO on every start; a run makes a client or two,
   * and a command line wants its own lines. Held here so that the levels stick.
   */
  private static final List<Logger> QUIETED = List.of(Logger.getLogger("com.google.cloud.spanner"), Logger.getLogger("com.google.cloud.grpc"));

  static {
    QUIETED.forEach(l -> l.setLevel(Level.WARNING));
  }

  private TesseraSpannerClients() {}

  /** Undoes {@link #useEmulator}. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** Until closed, clients made in this JVM talk to the emulator at {@code hostPort}. For tests. */
  public static Registration useEmulator(String hostPort) {
    if (!EMULATOR.compareAndSet(null, hostPort)) {
      throw new IllegalStateException("an emulator is already registered: " + EMULATOR.get());
    }
    return () -> EMULATOR.compareAndSet(hostPort, null);
  }

  /** A new client for the config's project; the caller closes it. */
  public static Spanner open(TesseraSpannerConfig config) {
    // One short transaction per run: no client-side metrics exported to Cloud Monitoring.
    SpannerOptions.Builder options = SpannerOptions.newBuilder().setProjectId(config.project()).setBuiltInMetricsEnabled(false);
    String emulator = EMULATOR.get();
    if (emulator != null) {
      options.setEmulatorHost(emulator);
    }
    return options.build().getService();
  }
}
