package dev.tlogmigrate.launcher.tools;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * Serves a log directory over HTTP or HTTPS on loopback, as a static tlog-tiles host would: for
 * tests and the benchmark. {@code serve --dir=DIR [--port=0] [--latencyMillis=0]
 * [--httpsCaCertificate=FILE]} prints the URL and serves until killed. With a latency, every
 * response waits that long before it starts, as from a distant source; requests are served
 * concurrently, each on its own thread, however many arrive.
 */
public final class StaticLogServer implements AutoCloseable {
  static {
    // The JDK server writes headers and body separately: with Nagle's algorithm on, each small
    // response (a hash tile, a checkpoint) then waits ~40 ms for the client's delayed ACK.
    // Read once, when the JDK's server first starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final AtomicInteger tlsHandshakes = new AtomicInteger();

  /**
   * Serves HTTPS with tls's certificate (HTTP/1.1: the JDK's server has no HTTP/2), or plain HTTP
   * when tls is null.
   */
  public StaticLogServer(Path dir, int port, HttpHandler wrapper, Duration latency, SSLContext tls)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    if (tls == null) {
      server = HttpServer.create(address, 1024);
    } else {
      HttpsServer https = HttpsServer.create(address, 1024);
      https.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
              tlsHandshakes
                  .incrementAndGet(); // the JDK's server configures each new connection, before its
              // handshake
              super.configure(params);
            }
          });
      server = https;
    }
    HttpHandler handler = wrapper != null ? wrapper : new DirectoryHandler(dir);
    server.createContext("/", latency.isZero() ? handler : delayed(handler, latency));
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "tlog-migrate-serve");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  public StaticLogServer(Path dir, int port, HttpHandler wrapper, Duration latency)
      throws IOException {
    this(dir, port, wrapper, latency, null);
  }

  public StaticLogServer(Path dir, int port, HttpHandler wrapper) throws IOException {
    this(dir, port, wrapper, Duration.ZERO);
  }

  public StaticLogServer(Path dir) throws IOException {
    this(dir, 0, null);
  }

  private static HttpHandler delayed(HttpHandler handler, Duration latency) {
    return ex -> {
      try {
        Thread.sleep(latency.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ex.close();
        return;
      }
      handler.handle(ex);
    };
  }

  /** The log's URL prefix, ending with '/'. */
  public String url() {
    return (server instanceof HttpsServer ? "https" : "http")
        + "://127.0.0.1:"
        + server.getAddress().getPort()
        + "/";
  }

  /** TLS handshakes begun so far, one per connection: how well clients keep their connections. */
  public int tlsHandshakes() {
    return tlsHandshakes.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /**
   * With {@code --httpsCaCertificate=FILE}, serves HTTPS with a certificate for 127.0.0.1 from a
   * throwaway CA whose certificate it writes to FILE, for the client's --sourceTrustedCertificates;
   * when stopped (SIGTERM), prints the TLS handshakes it saw.
   */
  public static final String SUMMARY =
      "Serves a log directory over HTTP (or HTTPS) on 127.0.0.1, as a static log host would, until"
          + " stopped; for tests and benchmarks.";

  public static final List<Flags.Flag> FLAGS =
      List.of(
          Flags.Flag.required("dir", "the log directory to serve"),
          Flags.Flag.optional("port", "0", "the port; 0 picks a free one, printed at start"),
          Flags.Flag.optional(
              "latencyMillis", "0", "delay every response this long, as a distant host would"),
          Flags.Flag.optional(
              "httpsCaCertificate",
              null,
              "serve HTTPS with a certificate from a throwaway CA, whose certificate goes to this"
                  + " file (for --sourceTrustedCertificates)"));

  public static void main(String[] args, PrintStream out) throws IOException, InterruptedException {
    Flags f = new Flags(args, FLAGS);
    SSLContext tls = null;
    String caFile = f.get("httpsCaCertificate");
    if (caFile != null) {
      Path ca = Path.of(caFile).toAbsolutePath();
      Path work = Files.createTempDirectory("tlog-migrate-ca");
      try {
        ThrowawayCa authority = new ThrowawayCa(work);
        tls = authority.serverContext();
        Files.writeString(ca, authority.certificatePem(), StandardCharsets.US_ASCII);
      } finally {
        // keytool's files hold the CA's private key: nothing else may use it
        try (Stream<Path> files = Files.list(work)) {
          for (Path file : (Iterable<Path>) files::iterator) {
            Files.delete(file);
          }
        }
        Files.delete(work);
      }
    }
    StaticLogServer s =
        new StaticLogServer(
            Path.of(f.get("dir")),
            (int) f.getLong("port"),
            null,
            Duration.ofMillis(f.getLong("latencyMillis")),
            tls);
    if (tls != null) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    out.println("TLS handshakes: " + s.tlsHandshakes());
                    out.flush();
                  }));
    }
    out.println(s.url());
    out.flush();
    Thread.currentThread().join();
  }

  /** GET of files below a directory; 404 for anything else. */
  public static final class DirectoryHandler implements HttpHandler {
    private final Path root;

    public DirectoryHandler(Path root) {
      this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
      try (ex) {
        String path = URI.create(ex.getRequestURI().getRawPath()).getPath();
        Path file = root.resolve(path.substring(1)).normalize();
        if (!ex.getRequestMethod().equals("GET")
            || !file.startsWith(root)
            || !Files.isRegularFile(file)) {
          ex.sendResponseHeaders(404, -1);
          return;
        }
        byte[] body = Files.readAllBytes(file);
        boolean checkpoint = path.endsWith("/checkpoint");
        ex.getResponseHeaders()
            .set(
                "Content-Type",
                checkpoint ? "text/plain; charset=utf-8" : "application/octet-stream");
        ex.getResponseHeaders()
            .set("Cache-Control", checkpoint ? "no-cache" : "max-age=604800,immutable");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(body);
        }
      }
    }
  }
}
