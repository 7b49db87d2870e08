package dev.tlogmigrate.launcher.gcp;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerException;
import dev.tlogmigrate.transforms.storage.gcs.GcpAuth;
import dev.tlogmigrate.transforms.tessera.spanner.SpannerClients;
import dev.tlogmigrate.transforms.tessera.spanner.TesseraSpannerConfig;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import dev.tlogmigrate.transforms.testing.TestProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Cloud Spanner emulator for one test class: {@code emulator_main} started on a free
 * loopback port (port 0; the emulator prints the address it bound), one instance, a fresh database
 * per {@link #newDatabase} call, and the process stopped after the class. A migration reaches it
 * with {@code --spannerEmulatorHost=}{@link #host()}.
 *
 * <p>When {@code SPANNER_EMULATOR_HOST} is set (an emulator that {@code .ci/spanner-emulator.sh}
 * started) that one is used instead. Without either, the class is skipped, saying why.
 *
 * <p>Use as {@code @RegisterExtension static final SpannerEmulator SPANNER = new
 * SpannerEmulator();}
 */
public final class SpannerEmulator implements BeforeAllCallback, AfterAllCallback {
  public static final Path BINARY =
      Path.of(
          System.getenv()
              .getOrDefault(
                  "SPANNER_EMULATOR_BIN",
                  "/usr/lib/google-cloud-sdk/bin/cloud_spanner_emulator/emulator_main"));
  public static final String PROJECT = "test-project";
  public static final String INSTANCE = "test-instance";
  private static final Pattern ADDRESS = Pattern.compile("Server address: (\\S+:\\d+)");
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private Process process;
  private Thread stopAtExit;
  private Path log;
  private String host;
  private Spanner client;
  private final List<String> created = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    host = System.getenv("SPANNER_EMULATOR_HOST");
    if (host == null || host.isBlank()) {
      if (!Files.isExecutable(BINARY)) {
        String why =
            "the Cloud Spanner emulator is not installed at "
                + BINARY
                + " (package google-cloud-cli-spanner-emulator) and SPANNER_EMULATOR_HOST is not set: skipping "
                + context.getDisplayName();
        System.err.println(
            "SKIPPED: "
                + why); // surefire's summary of a class skipped in @BeforeAll shows no reason
        Assumptions.abort(why);
      }
      host = start();
    }
    // As quiet as a run's own clients: no metrics exporter, no metadata server asked.
    client = SpannerClients.open("the emulator", PROJECT, host, GcpAuth.DEFAULT, false);
    try {
      client
          .getInstanceAdminClient()
          .createInstance(
              InstanceInfo.newBuilder(InstanceId.of(PROJECT, INSTANCE))
                  .setInstanceConfigId(InstanceConfigId.of(PROJECT, "emulator-config"))
                  .setDisplayName("tlog-migrate tests")
                  .setNodeCount(1)
                  .build())
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof SpannerException se)
          || se.getErrorCode() != ErrorCode.ALREADY_EXISTS) {
        throw e;
      }
    }
  }

  private String start() throws IOException, InterruptedException {
    log = Files.createTempFile("spanner-emulator", ".log");
    process =
        new ProcessBuilder(BINARY.toString(), "--host_port", "127.0.0.1:0")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Process started = process;
    stopAtExit =
        new Thread(
            started::destroyForcibly,
            "stop-spanner-emulator"); // should the JVM not get to afterAll
    Runtime.getRuntime().addShutdownHook(stopAtExit);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Matcher m = ADDRESS.matcher(Files.readString(log));
      if (m.find()) {
        return m.group(1);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Spanner emulator exited with "
                + process.exitValue()
                + ": "
                + Files.readString(log));
      }
      Thread.sleep(20);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "the Spanner emulator printed no address in 30 s: " + Files.readString(log));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (client != null) {
      // The emulator holds at most 100 databases per instance, and .ci/run shares one emulator
      // between all test classes.
      for (String id : created) {
        client.getDatabaseAdminClient().dropDatabase(INSTANCE, id);
      }
      client.close();
    }
    if (process != null) {
      TestProcesses.stop(process, log, stopAtExit);
    }
  }

  /** A new, empty database, as {@code projects/P/instances/I/databases/D}. */
  public String newDatabase(String... ddl) throws Exception {
    String id = "db-" + ProcessHandle.current().pid() + "-" + DATABASES.incrementAndGet();
    client.getDatabaseAdminClient().createDatabase(INSTANCE, id, List.of(ddl)).get();
    created.add(id);
    return DatabaseId.of(PROJECT, INSTANCE, id).getName();
  }

  /** A client of a database made by {@link #newDatabase}, for setting rows up and reading them. */
  public DatabaseClient client(String database) {
    return client.getDatabaseClient(DatabaseId.of(database));
  }

  /** Tessera's state in a database of this emulator, reached as a migration reaches it. */
  public TesseraSpannerConfig config(String database, String tablePrefix) {
    return TesseraSpannerConfig.of(database, tablePrefix).withAccess(host, FakeGcsServer.NO_AUTH);
  }

  public Spanner spanner() {
    return client;
  }

  public String host() {
    return host;
  }
}
