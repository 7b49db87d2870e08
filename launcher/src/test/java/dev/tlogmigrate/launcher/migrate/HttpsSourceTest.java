package dev.tlogmigrate.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.Main;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.launcher.tools.ThrowawayCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source served over HTTPS, as every real one is: the launcher's loopback server with a
 * certificate from a CA made for this test run (keytool), trusted with --sourceTrustedCertificates.
 * Connections and their TLS sessions are kept across many fetches; a certificate that is wrong ends
 * the run at once with one line naming the URL and the reason.
 */
class HttpsSourceTest {
  @TempDir static Path shared;
  static ThrowawayCa ca;
  static Path caFile;
  static SSLContext valid;

  @TempDir Path tmp;

  @BeforeAll
  static void makeCa() throws IOException {
    ca = new ThrowawayCa(shared.resolve("ca"));
    caFile = Files.writeString(shared.resolve("ca.pem"), ca.certificatePem());
    valid = ca.serverContext();
  }

  private static StaticLogServer https(Path dir, SSLContext tls) throws IOException {
    return new StaticLogServer(dir, 0, null, Duration.ZERO, tls);
  }

  @Test
  void aWholeMigrationOverHttpsThenAnIncrementalOne() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    Path destination = tmp.resolve("destination");
    try (StaticLogServer s = https(source, valid)) {
      assertTrue(s.url().startsWith("https://127.0.0.1:"), s.url());
      Cli.Result first =
          Cli.migrate(s.url(), destination, TestLogs.VKEY, "--sourceTrustedCertificates=" + caFile);
      assertEquals(0, first.status(), first.all());
      TreeAssertions.assertSameFiles(source, destination);

      TestLogs.generate(source, 3 * 256 + 300); // the log grew
      // The PEM text itself works too: what a Flex Template parameter carries.
      Cli.Result second =
          Cli.migrate(
              s.url(),
              destination,
              TestLogs.VKEY,
              "--sourceTrustedCertificates=" + ca.certificatePem());
      assertEquals(0, second.status(), second.all());
      assertTrue(second.out().contains("committed size 300; copying 768 entries"), second.out());
    }
    TreeAssertions.assertSameFiles(source, destination);
  }

  @Test
  void manyFetchesShareAFewConnectionsAndHandshakes() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 48 * 256);
    Path destination = tmp.resolve("destination");
    try (StaticLogServer s = new StaticLogServer(source, 0, null, Duration.ofMillis(20), valid)) {
      Cli.Result r =
          Cli.migrate(
              s.url(),
              destination,
              TestLogs.VKEY,
              "--sourceTrustedCertificates=" + caFile,
              "--maxConcurrentFetches=6");
      assertEquals(0, r.status(), r.all());
      // 49 bundle requests and the checkpoint: a handshake each without keep-alive. The planner's
      // connection is the pipeline's too.
      assertTrue(
          s.tlsHandshakes() <= 6,
          s.tlsHandshakes() + " TLS handshakes, over the bound of 6 connections");
    }
    TreeAssertions.assertSameFiles(source, destination);
  }

  @Test
  void aPrivateCaIsUnknownUntilTrusted() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 10);
    try (StaticLogServer s = https(source, valid)) {
      assertRefused(
          Cli.migrate(s.url(), tmp.resolve("destination"), TestLogs.VKEY),
          s,
          "unknown issuer: no CA this process trusts signed it");
    }
  }

  @Test
  void anExpiredCertificateIsRefusedEvenFromATrustedCa() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 10);
    try (StaticLogServer s = https(source, ca.serverContext("ip:127.0.0.1", "-3d"))) {
      assertRefused(
          Cli.migrate(
              s.url(),
              tmp.resolve("destination"),
              TestLogs.VKEY,
              "--sourceTrustedCertificates=" + caFile),
          s,
          "expired (NotAfter: ");
    }
  }

  @Test
  void aCertificateForAnotherNameIsRefusedEvenFromATrustedCa() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 10);
    try (StaticLogServer s = https(source, ca.serverContext("dns:tlog.example", null))) {
      assertRefused(
          Cli.migrate(
              s.url(),
              tmp.resolve("destination"),
              TestLogs.VKEY,
              "--sourceTrustedCertificates=" + caFile),
          s,
          "name mismatch: it is not for 127.0.0.1");
    }
  }

  @Test
  void aTrustFileWithoutCertificatesIsRefusedBeforeAnyRequest() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 10);
    Path empty = Files.writeString(tmp.resolve("empty.pem"), "not a certificate\n");
    try (StaticLogServer s = https(source, valid)) {
      Cli.Result r =
          Cli.migrate(
              s.url(),
              tmp.resolve("destination"),
              TestLogs.VKEY,
              "--sourceTrustedCertificates=" + empty);
      assertEquals(1, r.status(), r.all());
      assertTrue(r.err().contains("trusted certificates: "), r.err());
      assertEquals(0, s.tlsHandshakes());
    }
  }

  @Test
  void theServeCommandMakesItsOwnCaAndCountsHandshakes() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    Path caPem = tmp.resolve("serve-ca.pem");
    Path out = tmp.resolve("serve.out");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process serve =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--dir=" + source,
                "--httpsCaCertificate=" + caPem)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      String url = firstLine(out, serve);
      assertTrue(url.startsWith("https://127.0.0.1:"), url);
      Cli.Result r =
          Cli.migrate(
              url,
              tmp.resolve("destination"),
              TestLogs.VKEY,
              "--sourceTrustedCertificates=" + caPem);
      assertEquals(0, r.status(), r.all());
    } finally {
      serve.destroy(); // SIGTERM: the server prints its count on the way out
      serve.waitFor(30, TimeUnit.SECONDS);
    }
    TreeAssertions.assertSameFiles(source, tmp.resolve("destination"));
    List<String> lines = Files.readAllLines(out);
    assertTrue(
        lines.get(lines.size() - 1).matches("TLS handshakes: [1-9][0-9]?"), lines.toString());
  }

  /** The first line a child process wrote, once it is whole. */
  private static String firstLine(Path out, Process p) throws Exception {
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        System.nanoTime() < deadline;
        Thread.sleep(100)) {
      String text = Files.readString(out);
      if (text.contains("\n")) {
        return text.substring(0, text.indexOf('\n'));
      }
      assertTrue(p.isAlive(), "serve exited: " + text);
    }
    throw new AssertionError("serve printed no URL: " + Files.readString(out));
  }

  /**
   * One line naming the checkpoint's URL and the reason; one handshake: a refusal is not retried.
   */
  private static void assertRefused(Cli.Result r, StaticLogServer s, String reason) {
    assertEquals(1, r.status(), r.all());
    String line =
        "tlog-migrate: error: GET " + s.url() + "checkpoint: TLS certificate refused: " + reason;
    assertTrue(r.err().startsWith(line), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    assertEquals(1, s.tlsHandshakes(), "a refused certificate was retried");
  }
}
