package dev.tlogmigrate.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many fetches in flight, within the bound the operator set, and polite toward a live source: a
 * loopback server that waits before every response stands in for a distant one and watches what the
 * client does (requests in flight, their rate, their headers, what follows a 429).
 */
class ConcurrentFetchTest {
  /**
   * 120 bundles of small entries: serial fetching on the DirectRunner's 4 threads pays 30
   * latencies.
   */
  static final long SIZE = 120 * 256;

  @TempDir Path tmp;
  Path source;
  Path destination;

  @BeforeEach
  void generate() throws IOException {
    source = TestLogs.generate(tmp.resolve("source"), SIZE);
    destination = tmp.resolve("destination");
  }

  /**
   * Serves the log, counting requests in flight and recording when each entry-tile request arrived.
   * A request counts as in flight from its arrival until its response starts: the client may send
   * the next one as soon as it has read a response, before this server's thread has wound up.
   */
  static class Watching implements HttpHandler {
    final HttpHandler files;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final List<Long> bundleArrivals = new CopyOnWriteArrayList<>();
    final List<String> userAgents = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final Duration latency;

    Watching(Path dir, Duration latency) {
      this.files = new StaticLogServer.DirectoryHandler(dir);
      this.latency = latency;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      boolean waiting = true;
      try {
        userAgents.add(String.valueOf(ex.getRequestHeaders().getFirst("User-Agent")));
        authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        if (ex.getRequestURI().getPath().contains("/tile/entries/")) {
          bundleArrivals.add(System.nanoTime());
          if (answeredOtherwise(ex)) {
            return;
          }
        }
        Thread.sleep(latency.toMillis());
        waiting = false;
        inFlight.decrementAndGet();
        files.handle(ex);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ex.close();
      } finally {
        if (waiting) {
          inFlight.decrementAndGet();
        }
      }
    }

    /** A test's own answer to an entry-tile request; false to serve the file. */
    boolean answeredOtherwise(HttpExchange ex) throws IOException {
      return false;
    }
  }

  @Test
  void fetchesRunConcurrentlyButNeverBeyondTheBound() throws Exception {
    Watching server = new Watching(source, Duration.ofMillis(100));
    try (StaticLogServer s = new StaticLogServer(source, 0, server)) {
      Cli.Result r = Cli.migrate(s.url(), destination, TestLogs.VKEY, "--maxConcurrentFetches=12");
      assertEquals(0, r.status(), r.all());
    }
    TreeAssertions.assertSameFiles(source, destination);
    // Four runner threads fetching one bundle at a time would never have more than 4 in flight.
    assertTrue(
        server.maxInFlight.get() > 4,
        "at most " + server.maxInFlight.get() + " requests in flight");
    assertTrue(
        server.maxInFlight.get() <= 12,
        server.maxInFlight.get() + " requests in flight, over the bound of 12");
  }

  @Test
  void aDistantSourceTakesFarLessThanSerialFetchingWould() throws Exception {
    Duration latency = Duration.ofMillis(400);
    // Serial fetching on 4 runner threads: 120 bundles x 400 ms / 4 = 12 s for the bundles alone.
    Duration serialBound = latency.multipliedBy(SIZE / 256 / 4);
    Watching server = new Watching(source, latency);
    try (StaticLogServer s = new StaticLogServer(source, 0, server)) {
      Cli.Result r = Cli.migrate(s.url(), destination, TestLogs.VKEY);
      assertEquals(0, r.status(), r.all());
    }
    TreeAssertions.assertSameFiles(source, destination);
    // Seen from the source, from the pipeline's first bundle request to the last one answered (the
    // planner reads the last bundle first, before the pipeline starts).
    List<Long> t = server.bundleArrivals;
    Duration took = Duration.ofNanos(t.get(t.size() - 1) - t.get(1)).plus(latency);
    assertTrue(
        took.compareTo(serialBound.dividedBy(2)) < 0,
        "the bundles took " + took + "; serial fetching needs " + serialBound);
  }

  @Test
  void aTooManyRequestsAnswerHoldsBackEveryFetchNotOnlyItsOwn() throws Exception {
    AtomicLong refusedAt = new AtomicLong();
    Watching server =
        new Watching(source, Duration.ofMillis(100)) {
          @Override
          boolean answeredOtherwise(HttpExchange ex) throws IOException {
            if (bundleArrivals.size() == 20 && refusedAt.compareAndSet(0, System.nanoTime())) {
              ex.getResponseHeaders().set("Retry-After", "2");
              ex.sendResponseHeaders(429, -1);
              ex.close();
              return true;
            }
            return false;
          }
        };
    try (StaticLogServer s = new StaticLogServer(source, 0, server)) {
      Cli.Result r = Cli.migrate(s.url(), destination, TestLogs.VKEY);
      assertEquals(0, r.status(), r.all());
      assertTrue(r.out().contains(", 1 retries"), r.out());
    }
    TreeAssertions.assertSameFiles(source, destination);
    // Fetches already sent when the 429 came may still arrive just after it; none starts later
    // until the 2 s are over, however many were waiting to go.
    long quietFrom = refusedAt.get() + Duration.ofMillis(150).toNanos();
    long quietTo = refusedAt.get() + Duration.ofMillis(1900).toNanos();
    List<Long> during =
        server.bundleArrivals.stream().filter(t -> t > quietFrom && t < quietTo).toList();
    assertEquals(List.of(), during, "requests sent while the source had asked to wait");
  }

  @Test
  void theRequestRateCapHoldsOverTheRun() throws Exception {
    Watching server = new Watching(source, Duration.ZERO);
    try (StaticLogServer s = new StaticLogServer(source, 0, server)) {
      Cli.Result r = Cli.migrate(s.url(), destination, TestLogs.VKEY, "--maxRequestsPerSecond=60");
      assertEquals(0, r.status(), r.all());
    }
    TreeAssertions.assertSameFiles(source, destination);
    assertEquals(
        SIZE / 256 + 1, server.bundleArrivals.size()); // the planner reads the last bundle first
    List<Long> t = server.bundleArrivals.subList(1, server.bundleArrivals.size());
    // The client spaces its requests 1/60 s apart; what arrives can bunch up a little when a busy
    // machine delays a send, so: over the run, the cap; in any one second, the cap and some slack.
    double seconds = (t.get(t.size() - 1) - t.get(0)) / 1e9;
    assertTrue(
        (t.size() - 1) / seconds <= 60 * 1.02,
        (t.size() - 1) + " requests in " + seconds + " s, over the cap of 60/s");
    for (int i = 0; i < t.size(); i++) {
      long from = t.get(i);
      long inSecond = t.stream().filter(x -> x >= from && x < from + 1_000_000_000L).count();
      assertTrue(inSecond <= 75, inSecond + " requests within one second, far over the cap of 60");
    }
  }

  @Test
  void theBearerTokenIsSentAndNeverPrinted() throws Exception {
    String token = "s3cr3t-t0k3n-" + System.nanoTime();
    Watching server =
        new Watching(source, Duration.ZERO) {
          @Override
          public void handle(HttpExchange ex) throws IOException {
            if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
              ex.sendResponseHeaders(403, -1);
              ex.close();
              return;
            }
            super.handle(ex);
          }
        };
    try (StaticLogServer s = new StaticLogServer(source, 0, server)) {
      Cli.Result refused = Cli.migrate(s.url(), tmp.resolve("refused"), TestLogs.VKEY);
      assertNotEquals(0, refused.status());
      assertTrue(refused.err().contains(s.url() + "checkpoint: HTTP 403"), refused.all());

      Cli.Result r =
          Cli.migrate(
              s.url(),
              destination,
              TestLogs.VKEY,
              "--sourceBearerToken=" + token,
              "--userAgentContact=mailto:mirror-ops@example.net");
      assertEquals(0, r.status(), r.all());
      assertFalse(r.all().contains(token), "the token was printed: " + r.all());
    }
    TreeAssertions.assertSameFiles(source, destination);
    assertTrue(
        server.userAgents.stream()
            .allMatch(
                ua ->
                    ua.startsWith("tlog-migrate/")
                        && ua.contains("+mailto:mirror-ops@example.net")),
        server.userAgents.toString());
  }

  @Test
  void theBearerTokenIsReadFromAFileOrAnEnvironmentVariable() throws Exception {
    // The environment of a test cannot be set: any variable whose value would do as a token.
    Map.Entry<String, String> variable =
        System.getenv().entrySet().stream()
            .filter(e -> e.getValue().matches("[!-~]{4,}"))
            .findFirst()
            .orElseThrow();
    String token = "f1le-t0k3n-" + System.nanoTime();
    Path tokenFile = tmp.resolve("token");
    Files.writeString(tokenFile, token + "\n"); // as a secret store or echo leaves it
    List<String> accepted = new CopyOnWriteArrayList<>(List.of(token, variable.getValue()));
    Watching server =
        new Watching(source, Duration.ZERO) {
          @Override
          public void handle(HttpExchange ex) throws IOException {
            String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
            if (accepted.stream().noneMatch(t -> auth.equals("Bearer " + t))) {
              ex.sendResponseHeaders(403, -1);
              ex.close();
              return;
            }
            super.handle(ex);
          }
        };
    try (StaticLogServer s = new StaticLogServer(source, 0, server)) {
      Cli.Result fromFile =
          Cli.migrate(s.url(), destination, TestLogs.VKEY, "--sourceBearerTokenFile=" + tokenFile);
      assertEquals(0, fromFile.status(), fromFile.all());
      assertFalse(fromFile.all().contains(token), "the token was printed: " + fromFile.all());
      TreeAssertions.assertSameFiles(source, destination);

      Cli.Result fromEnvironment =
          Cli.migrate(
              s.url(),
              tmp.resolve("from-environment"),
              TestLogs.VKEY,
              "--sourceBearerTokenEnv=" + variable.getKey());
      assertEquals(0, fromEnvironment.status(), fromEnvironment.all());
      TreeAssertions.assertSameFiles(source, tmp.resolve("from-environment"));

      int requests = server.userAgents.size();
      Path missing = tmp.resolve("no-token-here");
      Cli.Result noFile =
          Cli.migrate(
              s.url(), tmp.resolve("none"), TestLogs.VKEY, "--sourceBearerTokenFile=" + missing);
      assertEquals(1, noFile.status());
      assertEquals(
          "tlog-migrate: error: --sourceBearerTokenFile "
              + missing
              + ": no such file on this machine\n",
          noFile.err());
      Cli.Result both =
          Cli.migrate(
              s.url(),
              tmp.resolve("none"),
              TestLogs.VKEY,
              "--sourceBearerToken=" + token,
              "--sourceBearerTokenFile=" + tokenFile);
      assertEquals(1, both.status());
      assertTrue(
          both.err()
              .contains(
                  "give one of --sourceBearerToken, --sourceBearerTokenFile and"
                      + " --sourceBearerTokenEnv"),
          both.err());
      assertFalse(both.err().contains(token), both.err());
      assertEquals(requests, server.userAgents.size(), "a refused run sent a request");
    }
  }
}
