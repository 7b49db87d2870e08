package dev.tlogmigrate.launcher.aws;

import dev.tlogmigrate.launcher.peers.Tessera;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.transforms.testing.GoPrograms;
import dev.tlogmigrate.transforms.testing.S3Server;
import dev.tlogmigrate.transforms.testing.TestProcesses;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Tessera v1.0.4 on AWS as a test peer: its {@code cmd/conformance/aws} server, built from our Go
 * module in {@code src/test/go/tessera} (a {@code tool} there), on a MariaDB database of {@link
 * MariaDbServer} and a bucket of {@link S3Server} (path-style, its keys), signing with {@link
 * TestLogs#SIGNER}'s key.
 *
 * <p>The server asks the EC2 instance metadata service (a link-local address) where it runs, for
 * its telemetry: the environment here turns that client off, so that it sends nothing beyond
 * loopback.
 */
public final class TesseraAws {
  public static final String CONFORMANCE =
      "github.com/transparency-dev/tessera/cmd/conformance/aws";

  /** Keeps the AWS SDK's instance metadata client from leaving loopback. */
  public static final Map<String, String> LOOPBACK_ONLY =
      Map.of(
          "AWS_EC2_METADATA_DISABLED", "true",
          "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1");

  private TesseraAws() {}

  public static Path binary() {
    return GoPrograms.build(Tessera.MODULE, CONFORMANCE, "tessera-conformance-aws");
  }

  /**
   * Tessera's own {@code initDB}: the server started on {@code database} with no S3 to reach
   * creates its tables and initial rows, then exits, failing to read the bucket's checkpoint.
   */
  public static void initDb(MariaDbServer mysql, String database) throws Exception {
    int noS3 = TestProcesses.freeLoopbackPort();
    String output =
        runToExit(
            command(
                mysql,
                database,
                "http://127.0.0.1:" + noS3,
                "no-bucket",
                TestProcesses.freeLoopbackPort()));
    if (!output.contains("failed to read checkpoint")) {
      throw new AssertionError("Tessera's AWS server did not get past its initDB:\n" + output);
    }
  }

  /** The server's command line: its log in {@code bucket}, its state in {@code database}. */
  public static List<String> command(
      MariaDbServer mysql, String database, String s3Endpoint, String bucket, int listenPort) {
    return new ArrayList<>(
        List.of(
            binary().toString(),
            "--bucket=" + bucket,
            "--db_name=" + database,
            "--db_host=127.0.0.1",
            "--db_port=" + mysql.port(),
            "--db_user=" + MariaDbServer.USER,
            "--db_password=" + MariaDbServer.PASSWORD,
            "--s3_endpoint=" + s3Endpoint,
            "--s3_access_key=" + S3Server.ACCESS_KEY,
            "--s3_secret=" + S3Server.SECRET_KEY,
            "--signer=" + LogGenerator.TEST_SIGNER_KEY,
            "--listen=127.0.0.1:" + listenPort));
  }

  /**
   * The server on {@code bucket} (the log at the bucket's root: the conformance server has no
   * prefix flag) and {@code database}, publishing a checkpoint each second; stopped on close.
   */
  public static Server start(MariaDbServer mysql, String database, String s3Endpoint, String bucket)
      throws Exception {
    int port = TestProcesses.freeLoopbackPort();
    List<String> command = command(mysql, database, s3Endpoint, bucket, port);
    command.add("--publish_interval=1s");
    Path log = Files.createTempFile("tessera-aws", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(LOOPBACK_ONLY);
    Process process = pb.start();
    Thread stopAtExit = new Thread(process::destroyForcibly, "stop-tessera-aws");
    Runtime.getRuntime().addShutdownHook(stopAtExit);
    Server server = new Server(process, log, stopAtExit, URI.create("http://127.0.0.1:" + port));
    server.awaitListening();
    return server;
  }

  /** A running conformance server: {@code POST /add} an entry, get its index. */
  public static final class Server implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Thread stopAtExit;
    private final URI base;
    private final HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Server(Process process, Path log, Thread stopAtExit, URI base) {
      this.process = process;
      this.log = log;
      this.stopAtExit = stopAtExit;
      this.base = base;
    }

    private void awaitListening() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "Tessera's AWS server exited with " + process.exitValue() + ":\n" + output());
        }
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
          return;
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      throw new IllegalStateException("Tessera's AWS server is not listening:\n" + output());
    }

    /** Adds the entries at once, as concurrent requests; the index each was given, in order. */
    List<Long> add(List<byte[]> entries) throws Exception {
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (byte[] e : entries) {
        sent.add(
            http.sendAsync(
                HttpRequest.newBuilder(base.resolve("/add"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(e))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      List<Long> indices = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> f : sent) {
        HttpResponse<String> r = f.get(2, TimeUnit.MINUTES);
        if (r.statusCode() != 200) {
          throw new AssertionError(
              "POST /add answered " + r.statusCode() + ": " + r.body() + "\n" + output());
        }
        indices.add(Long.parseLong(r.body().trim()));
      }
      return indices;
    }

    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
      TestProcesses.stop(process, log, stopAtExit);
    }
  }

  private static String runToExit(List<String> command) throws Exception {
    Path log = Files.createTempFile("tessera-aws", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(LOOPBACK_ONLY);
      Process p = pb.start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("Tessera's AWS server did not exit in 2 minutes: " + command);
      }
      return Files.readString(log, StandardCharsets.UTF_8);
    } finally {
      Files.delete(log);
    }
  }
}
