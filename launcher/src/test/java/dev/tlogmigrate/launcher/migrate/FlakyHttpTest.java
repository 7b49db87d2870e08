package dev.tlogmigrate.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that fails every third request, in the ways real servers fail, still yields the log. */
class FlakyHttpTest {
  @TempDir Path tmp;

  @Test
  void retriesThroughFailures() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 20000);
    Path destination = tmp.resolve("destination");
    HttpHandler files = new StaticLogServer.DirectoryHandler(source);
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    HttpHandler flaky =
        ex -> {
          int n = requests.incrementAndGet();
          if (n % 3 != 0) {
            files.handle(ex);
            return;
          }
          failed.incrementAndGet();
          fail(ex, (n / 3) % 4);
        };

    try (StaticLogServer server = new StaticLogServer(source, 0, flaky)) {
      Cli.Result r = Cli.migrate(server.url(), destination, TestLogs.VKEY);
      assertEquals(0, r.status(), r.all());
      assertTrue(r.out().matches("(?s).*, [1-9][0-9]* retries.*"), r.out());
    }
    assertTrue(failed.get() >= 20, "the server failed only " + failed.get() + " requests");
    TreeAssertions.assertSameFiles(source, destination);
  }

  private static void fail(HttpExchange ex, int mode) throws IOException {
    try (ex) {
      switch (mode) {
        case 0 -> ex.sendResponseHeaders(503, -1);
        case 1 -> {
          ex.getResponseHeaders().set("Retry-After", "0");
          ex.sendResponseHeaders(429, -1);
        }
        case 2 -> {
          // Promise more than is sent: a truncated body.
          ex.sendResponseHeaders(200, 1000);
          ex.getResponseBody().write(new byte[10]);
        }
        default -> ex.sendResponseHeaders(500, -1);
      }
    }
  }
}
