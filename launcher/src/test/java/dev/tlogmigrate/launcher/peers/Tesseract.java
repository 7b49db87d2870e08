package dev.tlogmigrate.launcher.peers;

import dev.tlogmigrate.transforms.testing.GoPrograms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TesseraCT v0.1.1's POSIX server and our ctharness, built from the Go module in {@code
 * src/test/go/tesseract}, with the PKI ctharness made: a root (the log's only accepted root), two
 * intermediates, and the log's P-256 key.
 */
public final class Tesseract {
  public static final Path MODULE = Path.of("src", "test", "go", "tesseract");
  public static final String SERVER_PACKAGE =
      "github.com/transparency-dev/tesseract/cmd/tesseract/posix";

  public final Path server;
  public final Path harness;
  public final Path pki;

  private Tesseract(Path server, Path harness, Path pki) {
    this.server = server;
    this.harness = harness;
    this.pki = pki;
  }

  /** Builds both programs (skipping the test where go is missing) and makes a PKI in pki. */
  public static Tesseract withNewPki(Path pki) throws IOException {
    Tesseract t =
        new Tesseract(
            GoPrograms.build(MODULE, SERVER_PACKAGE, "tesseract-posix"),
            GoPrograms.build(MODULE, "./ctharness", "ctharness"),
            pki);
    t.harness("pki", "-dir", pki.toString());
    return t;
  }

  /** The log's public key as CT log lists publish it: base64 of its DER SubjectPublicKeyInfo. */
  public String publicKey() throws IOException {
    return Files.readString(pki.resolve("log-public-key.b64"), StandardCharsets.US_ASCII).strip();
  }

  /**
   * TesseraCT serving the log in storage (a new one, or one to continue) under origin, signing with
   * the log's key. garbageCollection 0 keeps every partial tile it writes.
   */
  public TesseractServer start(Path storage, String origin, Duration garbageCollection)
      throws IOException {
    return TesseractServer.start(this, storage, origin, garbageCollection);
  }

  /** Runs ctharness with args and returns what it printed, failing with its stderr. */
  public String harness(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(harness.toString()));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("ctharness", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", cmd) + " failed: " + Files.readString(err));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running ctharness", e);
    } finally {
      Files.delete(err);
    }
  }
}
