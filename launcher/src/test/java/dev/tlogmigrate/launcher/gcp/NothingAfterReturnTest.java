package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.StaticCtTestLog;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a failed run returns, nothing of it writes to the destination any more. The failure comes
 * while a runner thread of the run is writing a tile, as in a static-ct run whose issuers are
 * copied beside the tile levels: the first issuer is served wrong just as the upload of the level-1
 * tile, held back by a proxy for a while, is in flight. The run must wait for that upload before it
 * returns; the bucket is then watched, and must not change. Repeated, since a late write is a race.
 */
class NothingAfterReturnTest {
  private static final String BUCKET = "after-return";

  /** How long the proxy holds the level-1 tile's upload back. */
  private static final Duration HELD = Duration.ofMillis(1500);

  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(BUCKET);

  @TempDir static Path shared;
  static Path source;

  @BeforeAll
  static void generate() throws IOException {
    source = shared.resolve("source");
    new LogGenerator(source, StaticCtTestLog.LOG_KEY, LogFormat.STATIC_CT, 5, 200, 1500)
        .generate(StaticCtTestLog.SIZE); // level-1 tile 000.p/2, built on a runner thread
  }

  /** The log, but the first issuer asked for is wrong, once a tile upload is under way. */
  static final class WrongIssuerDuringAnUpload implements HttpHandler {
    final HttpHandler files = new StaticLogServer.DirectoryHandler(source);
    final AtomicBoolean failed = new AtomicBoolean();
    final CountDownLatch uploading = new CountDownLatch(1);

    @Override
    public void handle(HttpExchange ex) throws IOException {
      if (!ex.getRequestURI().getPath().startsWith("/issuer/")
          || !failed.compareAndSet(false, true)) {
        files.handle(ex);
        return;
      }
      try (ex) {
        var unused = uploading.await(20, TimeUnit.SECONDS);
        byte[] wrong = "not the issuer".getBytes(StandardCharsets.US_ASCII);
        ex.sendResponseHeaders(200, wrong.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(wrong);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @RepeatedTest(3)
  void aFailedRunWritesNothingOnceItHasReturned(RepetitionInfo repetition) throws Exception {
    String prefix = "run-" + repetition.getCurrentRepetition() + "/";
    WrongIssuerDuringAnUpload server = new WrongIssuerDuringAnUpload();
    AtomicInteger heldUploads = new AtomicInteger();
    Cli.Result r;
    Map<String, byte[]> atReturn;
    try (StaticLogServer s = new StaticLogServer(source, 0, server);
        GcsFaultProxy proxy = new GcsFaultProxy(GCS.endpoint())) {
      proxy.beforeFirst(
          q -> uploadsUnder(q, prefix + "tile/1/"),
          () -> {
            heldUploads.incrementAndGet();
            server.uploading.countDown();
            sleep(HELD);
          });
      List<String> args = new ArrayList<>(GCS.flags(proxy.endpoint()));
      args.add("--format=static-ct");
      r =
          Cli.migrate(
              s.url(),
              "gs://" + BUCKET + "/" + prefix,
              StaticCtTestLog.LOG_KEY.verifierKey(),
              args.toArray(String[]::new));
      atReturn = objects(prefix);
      sleep(HELD.multipliedBy(2)); // the held upload, had it outlived the run, lands in here
    }
    assertEquals(1, r.status(), r.all());
    assertTrue(r.err().contains("wrong issuer certificate"), r.err());
    assertEquals(1, heldUploads.get(), "the failure did not come during the tile's upload");
    assertEquals(
        atReturn.keySet(),
        objects(prefix).keySet(),
        "objects written after the failed run had returned");
  }

  private static boolean uploadsUnder(GcsFaultProxy.Request q, String prefix) {
    return q.method().equals("POST")
        && q.uri().contains("/upload/")
        && new String(q.body(), StandardCharsets.ISO_8859_1).contains("\"name\":\"" + prefix);
  }

  private static Map<String, byte[]> objects(String prefix) {
    return new TreeMap<>(GCS.objects(BUCKET, prefix));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
