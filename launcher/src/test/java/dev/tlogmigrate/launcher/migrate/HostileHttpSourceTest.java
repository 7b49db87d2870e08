package dev.tlogmigrate.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpHandler;
import dev.tlogmigrate.launcher.testing.AfterFailedRun;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.format.EntryBundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole migration from an HTTP source that serves one hostile resource among honest ones: the run
 * exits 1 with one line naming that resource, and commits nothing. (The HTTP client's limits
 * themselves are tested one by one, with short timeouts, in HostileHttpTest.)
 */
class HostileHttpSourceTest {
  private static final int SIZE = 1000; // bundles 000..002 full, 003.p/232 partial

  @TempDir static Path shared;
  static Path source;
  static Path mirrorRoot;

  @TempDir Path tmp;
  private final AtomicInteger hostileRequests = new AtomicInteger();

  @BeforeAll
  static void generate() throws IOException {
    source = TestLogs.generate(shared.resolve("source"), SIZE);
    mirrorRoot = Files.createDirectories(shared.resolve("mirror-root"));
    Files.createSymbolicLink(mirrorRoot.resolve("mirror"), source);
  }

  /**
   * Migrates from a server that answers {@code path} with {@code hostile}, every other path
   * honestly.
   */
  private Cli.Result migrateWith(String path, HttpHandler hostile) throws IOException {
    HttpHandler files = new StaticLogServer.DirectoryHandler(source);
    HttpHandler mirror =
        new StaticLogServer.DirectoryHandler(mirrorRoot); // the same log under /mirror/
    HttpHandler handler =
        ex -> {
          String p = ex.getRequestURI().getPath().substring(1);
          if (p.equals(path)) {
            hostileRequests.incrementAndGet();
            try (ex) {
              hostile.handle(ex);
            } catch (IOException e) {
              // The client hung up: expected.
            }
          } else if (p.startsWith("mirror/")) {
            mirror.handle(ex);
          } else {
            files.handle(ex);
          }
        };
    try (StaticLogServer server = new StaticLogServer(source, 0, handler)) {
      return Cli.migrate(server.url(), tmp.resolve("destination"), TestLogs.VKEY);
    }
  }

  private static final String LAST_BUNDLE = "tile/entries/003.p/232";

  private void assertFailedNaming(Cli.Result r, String resource, String problem)
      throws IOException {
    assertEquals(1, r.status(), r.all());
    assertEquals(1, r.err().lines().count(), "want one line: " + r.err());
    assertTrue(
        r.err()
            .matches(
                "tlog-migrate: error: (GET )?http://127\\.0\\.0\\.1:[0-9]+/"
                    + resource.replace(".", "\\.")
                    + ": .*\\R?"),
        "does not name " + resource + ": " + r.err());
    assertTrue(r.err().contains(problem), "want '" + problem + "' in: " + r.err());
    Path destination = tmp.resolve("destination");
    TreeAssertions.assertTreeState(destination, null);
    assertFalse(Files.exists(destination.resolve("checkpoint")), "checkpoint written");
    // The planner reads the last entry tile once to check that the source backs its checkpoint.
    int planned = resource.equals(LAST_BUNDLE) ? 1 : 0;
    assertEquals(1 + planned, hostileRequests.get(), "a definite failure is not retried");
  }

  @Test
  void bundleLargerThanAnyValidBundleIsRefusedFromItsContentLength() throws IOException {
    Cli.Result r =
        migrateWith(
            "tile/entries/001",
            ex -> {
              ex.sendResponseHeaders(200, EntryBundle.MAX_BYTES + 1L);
              writeZeros(ex.getResponseBody(), EntryBundle.MAX_BYTES + 1L);
            });

    assertFailedNaming(r, "tile/entries/001", "Content-Length " + (EntryBundle.MAX_BYTES + 1L));
  }

  @Test
  void endlessBundleWithoutContentLengthIsCutOffAtTheLargestValidSize() throws IOException {
    Cli.Result r =
        migrateWith(
            "tile/entries/002",
            ex -> {
              ex.sendResponseHeaders(200, 0);
              writeZeros(ex.getResponseBody(), Long.MAX_VALUE); // until the client hangs up
            });

    assertFailedNaming(
        r, "tile/entries/002", "larger than the " + EntryBundle.MAX_BYTES + " bytes");
  }

  @Test
  void gzipBombBundleIsCutOffAtTheLargestValidSize() throws IOException {
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
      writeZeros(gz, 2L * EntryBundle.MAX_BYTES);
    }
    byte[] compressed = bomb.toByteArray();
    assertTrue(compressed.length < 100_000, compressed.length + " bytes");

    Cli.Result r =
        migrateWith(
            "tile/entries/000",
            ex -> {
              ex.getResponseHeaders().set("Content-Encoding", "gzip");
              ex.sendResponseHeaders(200, compressed.length);
              ex.getResponseBody().write(compressed);
            });

    assertFailedNaming(
        r, "tile/entries/000", "larger than the " + EntryBundle.MAX_BYTES + " bytes");
  }

  @Test
  void partialBundleWithOneEntryTooManyIsRefused() throws IOException {
    // The last bundle served with 233 entries: wider than the checkpoint implies.
    byte[] bundle = Files.readAllBytes(source.resolve("tile/entries/003.p/232"));
    byte[] wider = new byte[bundle.length + 2 + 5];
    System.arraycopy(bundle, 0, wider, 0, bundle.length);
    wider[bundle.length + 1] = 5;

    Cli.Result r =
        migrateWith(
            "tile/entries/003.p/232",
            ex -> {
              ex.sendResponseHeaders(200, wider.length);
              ex.getResponseBody().write(wider);
            });

    assertFailedNaming(r, "tile/entries/003.p/232", "7 bytes after the 232 entries");
  }

  @Test
  void bundleRedirectedToAnotherHostIsRefused() throws IOException {
    // To the same server under another name, where the bundle is served honestly: following it
    // would "work", which is exactly what must not happen (the other host is not the log).
    String[] target = new String[1];
    Cli.Result r =
        migrateWith(
            "tile/entries/001",
            ex -> {
              target[0] =
                  "http://localhost:" + ex.getLocalAddress().getPort() + "/mirror/tile/entries/001";
              ex.getResponseHeaders().set("Location", target[0]);
              ex.sendResponseHeaders(302, -1);
            });

    assertFailedNaming(r, "tile/entries/001", "refusing redirect to another host: " + target[0]);
  }

  @Test
  void forbiddenBundleIsAnErrorNotAGap() throws IOException {
    Cli.Result r = migrateWith("tile/entries/002", ex -> ex.sendResponseHeaders(403, -1));

    assertFailedNaming(r, "tile/entries/002", "HTTP 403");
  }

  @AfterEach
  void nothingOfTheFailedRunWritesAfterItReturned() throws InterruptedException {
    AfterFailedRun.assertNothingChanges(tmp.resolve("destination"), Duration.ofMillis(500));
  }

  private static void writeZeros(OutputStream out, long n) throws IOException {
    byte[] zeros = new byte[1 << 16];
    for (long left = n; left > 0; left -= zeros.length) {
      out.write(zeros, 0, (int) Math.min(zeros.length, left));
    }
  }
}
