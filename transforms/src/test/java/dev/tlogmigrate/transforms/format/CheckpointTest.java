package dev.tlogmigrate.transforms.format;

import static dev.tlogmigrate.transforms.format.TestData.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checkpoint bodies (c2sp.org/tlog-checkpoint): strict parsing of the signed text. */
class CheckpointTest {
  private static final String RES = "https://example.com/log/checkpoint";
  private static final String ROOT = "rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=";

  @Test
  void parsesTheThreeLines() {
    Checkpoint cp = parse("example.com/log/testdata\n15\n" + ROOT + "\n");
    assertEquals("example.com/log/testdata", cp.origin());
    assertEquals(15, cp.size());
    assertEquals(ROOT, cp.rootBase64());
    assertArrayEquals(Base64.getDecoder().decode(ROOT), cp.root());
    assertEquals(List.of(), cp.extensions());
  }

  @Test
  void extensionLinesAreKept() {
    Checkpoint cp = parse("o\n1\n" + ROOT + "\next one\n— not a signature\n");
    assertEquals(List.of("ext one", "— not a signature"), cp.extensions());
  }

  @Test
  void textRoundTrip() {
    byte[] root = Base64.getDecoder().decode(ROOT);
    String text = Checkpoint.text("example.com/log/testdata", 15, root);
    assertEquals("example.com/log/testdata\n15\n" + ROOT + "\n", text);
    Checkpoint cp = parse(text);
    assertEquals(15, cp.size());
    assertArrayEquals(root, cp.root());
  }

  @Test
  void sizeLimits() {
    assertEquals(0, parse("o\n0\n" + ROOT + "\n").size());
    assertEquals(Long.MAX_VALUE, parse("o\n9223372036854775807\n" + ROOT + "\n").size());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "o\n1\n", // two lines
        "o\n",
        "",
        "\n",
        "o\n\n1\n" + ROOT + "\n", // empty line
        "\n1\n" + ROOT + "\n", // empty origin
        "o\n1\n" + ROOT + "\n\n", // empty extension line
        "o\n1\n" + ROOT + "\next\n\n",
        "o\n1\n" + ROOT, // missing final newline
        "o\n1\n" + ROOT + "\next",
      })
  void malformedStructure(String text) {
    assertRejected(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01",
        "00",
        "+1",
        "-1",
        "-0",
        " 1",
        "1 ",
        "1a",
        "0x1",
        "1e3",
        "1.0",
        "1,000",
        "\u0661",
        "9223372036854775808",
        "18446744073709551615",
        "99999999999999999999999",
      })
  void badSize(String size) {
    String msg = assertRejected("o\n" + size + "\n" + ROOT + "\n");
    assertTrue(msg.contains("size"), msg);
  }

  @Test
  void sizeOf2To63SaysSo() {
    String msg = assertRejected("o\n9223372036854775808\n" + ROOT + "\n");
    assertTrue(msg.contains("9223372036854775808") && msg.contains("2^63"), msg);
  }

  @Test
  void sizeOf2To64Minus1SaysTooLarge() {
    String msg = assertRejected("o\n18446744073709551615\n" + ROOT + "\n");
    assertTrue(msg.contains("18446744073709551615") && msg.contains("2^63"), msg);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not base64!",
        "rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja_1nk427v383cs=", // URL alphabet
        "rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383c=", // 31 bytes
        "rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383csA", // 33 bytes
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFUAAAAA", // 36 bytes
        "AA==",
      })
  void badRoot(String root) {
    String msg = assertRejected("o\n1\n" + root + "\n");
    assertTrue(msg.contains("root"), msg);
  }

  @Test
  void rootLengthsInMessage() {
    assertTrue(assertRejected("o\n1\n" + b64(new byte[31]) + "\n").contains("31"));
    assertTrue(assertRejected("o\n1\n" + b64(new byte[33]) + "\n").contains("33"));
  }

  // Go (formats/log, sumdb/tlog) decode the root with StdEncoding, which requires the '=' padding.
  @Test
  void unpaddedRootIsRejected() {
    assertRejected("o\n1\n" + ROOT.substring(0, ROOT.length() - 1) + "\n");
  }

  private static Checkpoint parse(String text) {
    return Checkpoint.parse(RES, utf8(text));
  }

  /** Asserts an InvalidLogException naming the resource; returns its message. */
  private static String assertRejected(String text) {
    InvalidLogException e = assertThrows(InvalidLogException.class, () -> parse(text));
    assertTrue(e.getMessage().startsWith(RES + ": "), e.getMessage());
    return e.getMessage();
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
