package dev.tlogmigrate.transforms.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A loopback HTTP proxy between a GCS client and {@link FakeGcsServer} (or an S3 client and {@link
 * S3Server}, whose requests' signatures it breaks by sending them on with its own Host header:
 * serve them with {@link S3Server#withoutAuthorization}) that misbehaves as the network and the
 * service do: for a share of requests it answers 503 or 429 without forwarding, forwards and then
 * answers 503 (the request took effect, its response was lost), or cuts a download's body short.
 * One-shot rules let a test act at an exact request (another writer's write just before this one's)
 * or answer it with a status of its choosing. Counts what it did.
 */
public final class GcsFaultProxy implements AutoCloseable {
  /** What the proxy can do to a request. */
  public enum Fault {
    UNAVAILABLE,
    TOO_MANY_REQUESTS,
    RESPONSE_LOST,
    CUT_SHORT
  }

  /** A request as the proxy sees it. */
  public record Request(String method, String uri, Map<String, List<String>> headers, byte[] body) {
    /**
     * Whether this is an upload (a create) of the object {@code name}: named in the metadata part
     * of a multipart upload.
     */
    public boolean uploads(String name) {
      return method.equals("POST")
          && uri.contains("/upload/")
          && new String(body, StandardCharsets.ISO_8859_1).contains("\"name\":\"" + name + "\"");
    }

    /** Whether this is an S3 PutObject of {@code key} in {@code bucket} (path-style). */
    public boolean puts(String bucket, String key) {
      return method.equals("PUT") && URI.create(uri).getPath().equals("/" + bucket + "/" + key);
    }

    /** A download: of a GCS object's media, or any S3 GET (nothing here lists an S3 bucket). */
    boolean downloads() {
      return method.equals("GET") && (uri.contains("alt=media") || !uri.contains("/storage/v1/"));
    }
  }

  /** Not passed on: hop-by-hop headers, and those Java's HTTP client sets itself. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "content-length",
          "host",
          "transfer-encoding",
          "expect",
          "upgrade",
          "keep-alive",
          "date",
          "from",
          "via",
          "warning");

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String target;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Map<Fault, AtomicLong> injected = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> requestLines = new CopyOnWriteArrayList<>();
  private final List<Counter> counters = new CopyOnWriteArrayList<>();
  private int every;
  private long counted;
  private int nextFault;
  private boolean cutNextDownload;

  private record Rule(Predicate<Request> matches, Runnable before, int status) {}

  private record Counter(Predicate<Request> matches, AtomicLong count) {}

  /** A proxy on a free loopback port in front of {@code target} ({@code http://127.0.0.1:PORT}). */
  public GcsFaultProxy(String target) throws IOException {
    this.target = target;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * From now on every {@code n}th request gets a fault, the kinds in turn; a cut-short response
   * goes to the next download, as only a download has a body worth cutting.
   */
  public synchronized void failEvery(int n) {
    every = n;
  }

  /** Once: the next download's body is cut short. */
  public synchronized void cutShortNextDownload() {
    cutNextDownload = true;
  }

  /** Once, for the first request that matches: runs {@code before}, then forwards it. */
  public void beforeFirst(Predicate<Request> matches, Runnable before) {
    rules.add(new Rule(matches, before, 0));
  }

  /** Once, for the first request that matches: answers {@code status} instead of forwarding it. */
  public void answerFirst(Predicate<Request> matches, int status) {
    rules.add(new Rule(matches, () -> {}, status));
  }

  /**
   * Once, for the first request that matches: forwards it, then answers 503 (its response lost).
   */
  public void loseResponseOfFirst(Predicate<Request> matches) {
    rules.add(new Rule(matches, () -> {}, -503));
  }

  public long injected(Fault fault) {
    return injected.computeIfAbsent(fault, f -> new AtomicLong()).get();
  }

  public long injected() {
    return injected.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public long requests() {
    return requests.get();
  }

  /** Counts the requests from now on that match: read the count when they are done. */
  public AtomicLong count(Predicate<Request> matches) {
    AtomicLong count = new AtomicLong();
    counters.add(new Counter(matches, count));
    return count;
  }

  /** "METHOD uri" of every request so far. */
  public List<String> requestLines() {
    return List.copyOf(requestLines);
  }

  /** The Authorization header of every request so far ("" where there was none). */
  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  // A copy-on-write list: remove() is how one request of several claims a rule, and never throws.
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop")
  private Rule takeRule(Request request) {
    for (Rule r : rules) {
      if (r.matches().test(request) && rules.remove(r)) {
        return r;
      }
    }
    return null;
  }

  private synchronized Fault pickFault(Request request) {
    boolean download = request.downloads();
    if (cutNextDownload && download) {
      cutNextDownload = false;
      return Fault.CUT_SHORT;
    }
    if (every <= 0 || ++counted % every != 0) {
      return null;
    }
    Fault f = Fault.values()[nextFault++ % Fault.values().length];
    if (f == Fault.CUT_SHORT && !download) {
      cutNextDownload = true;
      return null;
    }
    return f;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      byte[] body = exchange.getRequestBody().readAllBytes();
      Request request =
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              exchange.getRequestHeaders(),
              body);
      requestLines.add(request.method() + " " + request.uri());
      for (Counter c : counters) {
        if (c.matches().test(request)) {
          c.count().incrementAndGet();
        }
      }
      authorizations.add(
          String.join(",", exchange.getRequestHeaders().getOrDefault("Authorization", List.of())));
      Rule rule = takeRule(request);
      if (rule != null) {
        rule.before().run();
        if (rule.status() > 0) {
          respond(exchange, rule.status(), new byte[0]);
          return;
        }
      }
      Fault fault = rule != null && rule.status() < 0 ? Fault.RESPONSE_LOST : pickFault(request);
      if (fault != null) {
        injected.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
      }
      if (fault == Fault.UNAVAILABLE || fault == Fault.TOO_MANY_REQUESTS) {
        respond(exchange, fault == Fault.UNAVAILABLE ? 503 : 429, errorBody(request, fault));
        return;
      }
      HttpResponse<byte[]> response = forward(request, body);
      if (fault == Fault.RESPONSE_LOST) {
        respond(exchange, 503, new byte[0]);
        return;
      }
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                  // Resumable uploads go on at the URL in Location: through this proxy, not around
                  // it.
                  values.forEach(
                      v -> exchange.getResponseHeaders().add(name, v.replace(target, endpoint())));
                }
              });
      byte[] data = response.body();
      if (fault == Fault.CUT_SHORT && data.length > 1) {
        exchange
            .getResponseHeaders()
            .set("Connection", "close"); // the client sees the end, not a stall
        exchange.sendResponseHeaders(response.statusCode(), data.length);
        OutputStream out = exchange.getResponseBody();
        out.write(data, 0, data.length / 2);
        out.flush();
        return; // the exchange closes with bytes missing: the server drops the connection
      }
      respond(exchange, response.statusCode(), data);
    } catch (IOException | RuntimeException e) {
      // A cut-short response ends here; anything else shows up as a failed request at the client.
    }
  }

  /** GCS's JSON error, or S3's XML one: a 503 is S3's SlowDown, its throttling answer. */
  private static byte[] errorBody(Request request, Fault fault) {
    boolean gcs = request.uri().contains("/storage/v1/") || request.uri().contains("/upload/");
    int status = fault == Fault.UNAVAILABLE ? 503 : 429;
    return (gcs
            ? "{\"error\":{\"code\":" + status + ",\"message\":\"injected\"}}"
            : "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                + (status == 503 ? "SlowDown" : "TooManyRequests")
                + "</Code><Message>injected</Message></Error>")
        .getBytes(StandardCharsets.UTF_8);
  }

  private HttpResponse<byte[]> forward(Request request, byte[] body) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(target + request.uri()))
            .method(
                request.method(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    request
        .headers()
        .forEach(
            (name, values) -> {
              if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
              }
            });
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
