package dev.tlogmigrate.launcher.migrate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.Directories;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.transforms.generate.NoteSigner;
import dev.tlogmigrate.transforms.storage.directory.DirectoryLock;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints that must not be believed, through the real command line: each run exits 1 with one
 * line naming the checkpoint and what is wrong with it, and the destination gets nothing (the run's
 * own lock file aside). Most of them carry a valid signature by the trusted key, so that what is
 * refused is the body, not the signature.
 */
class HostileCheckpointTest {
  private static final String ORIGIN = "example.com/tlog-migrate/example";
  private static final int SIZE = 300;

  @TempDir static Path shared;
  static Path source;
  static byte[] goodCheckpoint;
  static String root;

  @TempDir Path tmp;

  @BeforeAll
  static void generate() throws Exception {
    source = TestLogs.generate(shared.resolve("source"), SIZE);
    goodCheckpoint = Files.readAllBytes(source.resolve("checkpoint"));
    root = new String(goodCheckpoint, UTF_8).split("\n")[2];
  }

  /** A copy of the source whose checkpoint is replaced. */
  private Path sourceWith(byte[] checkpoint) throws Exception {
    Path dir = Directories.copy(source, tmp.resolve("source"));
    Files.write(dir.resolve("checkpoint"), checkpoint);
    return dir;
  }

  private static byte[] signed(String text) {
    return TestLogs.SIGNER.sign(text);
  }

  private static String body(String size, String root) {
    return ORIGIN + "\n" + size + "\n" + root + "\n";
  }

  private static String b64(int bytes) {
    byte[] b = new byte[bytes];
    Arrays.fill(b, (byte) 7);
    return Base64.getEncoder().encodeToString(b);
  }

  /** A well-formed signature line by a key nobody trusts (grease, or a witness we do not know). */
  private static String greaseLine(Random r) {
    byte[] blob = new byte[68];
    r.nextBytes(blob);
    return "\u2014 grease"
        + r.nextInt(1000)
        + ".example "
        + Base64.getEncoder().encodeToString(blob)
        + "\n";
  }

  /**
   * The valid checkpoint with extra signature lines after the real one, up to {@code lines} in all.
   */
  private static byte[] withSignatureLines(int lines) {
    StringBuilder sb = new StringBuilder(new String(goodCheckpoint, UTF_8));
    Random r = new Random(lines);
    for (int i = 1; i < lines; i++) {
      sb.append(greaseLine(r));
    }
    return sb.toString().getBytes(UTF_8);
  }

  private static NoteSigner otherSigner(String name) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 42);
    return NoteSigner.parse(NoteSigner.signerKey(name, seed));
  }

  static Stream<Arguments> hostileCheckpoints() {
    String text = body(String.valueOf(SIZE), root);
    byte[] good = goodCheckpoint;
    String goodString = new String(good, UTF_8);
    // The trusted key's name and ID, with a signature made by another key: must fail, not be
    // skipped.
    NoteSigner impostor = otherSigner(ORIGIN);
    byte[] forged = impostor.sign(text);
    String trustedId = TestLogs.VKEY.split("\\+")[1];
    byte[] blob = Base64.getDecoder().decode(new String(forged, UTF_8).split(" ")[2].trim());
    ByteBuffer.wrap(blob).putInt((int) Long.parseLong(trustedId, 16));
    String forgedUnderTrustedId =
        text + "\n\u2014 " + ORIGIN + " " + Base64.getEncoder().encodeToString(blob) + "\n";

    ByteArrayOutputStream huge = new ByteArrayOutputStream();
    huge.writeBytes(text.getBytes(UTF_8));
    huge.writeBytes(("x".repeat(1_000_001) + "\n").getBytes(UTF_8));

    return Stream.of(
        // Malformed notes and bodies.
        Arguments.of("empty file", new byte[0], "no blank line before the signatures"),
        Arguments.of(
            "no signature block", text.getBytes(UTF_8), "no blank line before the signatures"),
        Arguments.of(
            "signature block without final newline",
            Arrays.copyOf(good, good.length - 1),
            "signature block does not end with a newline"),
        Arguments.of(
            "CRLF line endings",
            goodString.replace("\n", "\r\n").getBytes(UTF_8),
            "control character 0xd"),
        Arguments.of("not UTF-8", concat(good, new byte[] {(byte) 0xff}), "not valid UTF-8"),
        Arguments.of(
            "a line that is not a signature after the blank line",
            (goodString + "hello\n").getBytes(UTF_8),
            "not a signature line"),
        Arguments.of("larger than any note", signedRaw(huge.toByteArray()), "1000000"),
        Arguments.of(
            "two body lines",
            signed(ORIGIN + "\n" + SIZE + "\n"),
            "checkpoint has 2 lines, want at least 3"),
        Arguments.of(
            "empty origin",
            signed("\n" + SIZE + "\n" + root + "\n"),
            "checkpoint has an empty line"),
        Arguments.of(
            "size with a leading zero", signed(body("0" + SIZE, root)), "not a canonical decimal"),
        Arguments.of("negative size", signed(body("-1", root)), "not a canonical decimal"),
        Arguments.of(
            "size with a plus sign", signed(body("+" + SIZE, root)), "not a canonical decimal"),
        // Sizes at and past what a long holds: 2^64-1, 2^64, 2^63.
        Arguments.of("size 2^64-1", signed(body("18446744073709551615", root)), "is 2^63 or more"),
        Arguments.of("size 2^64", signed(body("18446744073709551616", root)), "is 2^63 or more"),
        Arguments.of("size 2^63", signed(body("9223372036854775808", root)), "is 2^63 or more"),
        // Roots that are not 32 bytes, or not base64.
        Arguments.of(
            "root of 31 bytes",
            signed(body(String.valueOf(SIZE), b64(31))),
            "root has 31 bytes, want 32"),
        Arguments.of(
            "root of 33 bytes",
            signed(body(String.valueOf(SIZE), b64(33))),
            "root has 33 bytes, want 32"),
        Arguments.of(
            "empty-ish root",
            signed(body(String.valueOf(SIZE), "AAAA")),
            "root has 3 bytes, want 32"),
        Arguments.of(
            "root not base64",
            signed(body(String.valueOf(SIZE), "not*base64!" + root.substring(11))),
            "root is not base64"),
        Arguments.of(
            "root without padding",
            signed(body(String.valueOf(SIZE), root.replace("=", ""))),
            "root is not base64"),
        // Signature lines beyond the limit: 101 lines, the valid one among them.
        Arguments.of(
            "101 signature lines", withSignatureLines(101), "101 signature lines, more than 100"),
        // Signatures that are not the trusted key's.
        Arguments.of(
            "signed only by another key of the same name",
            forged,
            "no signature by " + ORIGIN + "+" + trustedId),
        Arguments.of(
            "signed only by another log",
            otherSigner("other.example/log").sign(text),
            "(signed only by other.example/log+"),
        Arguments.of(
            "another key's signature under the trusted name and key ID",
            forgedUnderTrustedId.getBytes(UTF_8),
            "invalid signature by " + ORIGIN + "+" + trustedId),
        Arguments.of(
            "trusted signature over another body",
            swapBody(good, body(String.valueOf(SIZE - 1), root)),
            "invalid signature by " + ORIGIN + "+" + trustedId));
  }

  /**
   * The signature block of the note {@code signed}, under another text: the signature no longer
   * matches.
   */
  private static byte[] swapBody(byte[] signed, String text) {
    String s = new String(signed, UTF_8);
    return (text + s.substring(s.lastIndexOf("\n\n") + 1)).getBytes(UTF_8);
  }

  private static byte[] signedRaw(byte[] text) {
    return signed(new String(text, UTF_8));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileCheckpoints")
  void isRefusedWithOneLineAndNothingWritten(String name, byte[] checkpoint, String expected)
      throws Exception {
    Path src = sourceWith(checkpoint);
    Path destination = tmp.resolve("destination");

    Cli.Result r = Cli.migrate(src.toString(), destination, TestLogs.VKEY);

    assertEquals(1, r.status(), r.all());
    assertEquals(1, r.err().lines().count(), "want one line: " + r.err());
    assertTrue(
        r.err().startsWith("tlog-migrate: error: " + src.resolve("checkpoint")),
        "does not name the checkpoint: " + r.err());
    assertTrue(r.err().contains(expected), "want '" + expected + "' in: " + r.err());
    assertNothingWritten(destination);
  }

  @Test
  void oneHundredSignatureLinesAreAcceptedAndTheUnknownOnesSkipped() throws Exception {
    // The limit is Go's: 100 lines still open (the spec asks verifiers to accept at least 16).
    Path src = sourceWith(withSignatureLines(100));
    Path destination = tmp.resolve("destination");

    Cli.Result r = Cli.migrate(src.toString(), destination, TestLogs.VKEY);

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("committed tree size " + SIZE), r.out());
  }

  @Test
  void checkpointOfAnotherOriginIsRefusedAndTheCommittedStateKept() throws Exception {
    // The destination holds this log; the "source" now signs (with the same key) another origin.
    Path destination = tmp.resolve("destination");
    assertEquals(0, Cli.migrate(source.toString(), destination, TestLogs.VKEY).status());
    Map<String, byte[]> before = Cli.files(destination);
    Path src = sourceWith(signed("other.example/log\n" + SIZE + "\n" + root + "\n"));

    Cli.Result r = Cli.migrate(src.toString(), destination, TestLogs.VKEY);

    assertEquals(1, r.status(), r.all());
    assertEquals(1, r.err().lines().count(), "want one line: " + r.err());
    assertTrue(
        r.err()
            .contains(
                destination.resolve("checkpoint")
                    + ": the destination holds log '"
                    + ORIGIN
                    + "', not 'other.example/log'"),
        r.err());
    assertSameFiles(before, Cli.files(destination));
  }

  @Test
  void hugeSignedSizeFailsFastOnTheMissingBundles() throws Exception {
    Path src = sourceWith(signed(body(String.valueOf(Long.MAX_VALUE), root)));
    Path destination = tmp.resolve("destination");

    Cli.Result r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20), () -> Cli.migrate(src.toString(), destination, TestLogs.VKEY));

    assertEquals(1, r.status(), r.all());
    assertEquals(1, r.err().lines().count(), "want one line: " + r.err());
    assertTrue(r.err().contains("tile/entries/"), r.err());
    assertNothingWritten(destination);
  }

  private static void assertNothingWritten(Path destination) {
    if (Files.exists(destination)) {
      Map<String, byte[]> files = Cli.files(destination);
      files.remove(DirectoryLock.LOCK_PATH);
      assertEquals(Map.of(), files, "the destination got files");
    }
  }

  private static void assertSameFiles(Map<String, byte[]> before, Map<String, byte[]> after) {
    assertEquals(before.keySet(), after.keySet());
    for (String name : before.keySet()) {
      assertTrue(Arrays.equals(before.get(name), after.get(name)), name + " changed");
    }
  }
}
