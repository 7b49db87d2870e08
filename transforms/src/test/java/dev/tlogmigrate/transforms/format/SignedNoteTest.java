package dev.tlogmigrate.transforms.format;

import static dev.tlogmigrate.transforms.format.TestData.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Signed-note syntax (c2sp.org/signed-note), as strict as Go's sumdb/note. */
class SignedNoteTest {
  private static final String RES = "gs://bucket/log/checkpoint";
  private static final String TEXT =
      "example.com/log\n3\nWqx3HImawpLnS/Gv4ubjAvi1WIOy0b8Ze0amvqbavKk=\n";

  /** base64 of key ID 0x33d7b496 followed by 64 signature bytes. */
  private static final String SIG =
      "M9e0luh4jTG+UMBqOUo9/q+yAEvx1ilBEniMvjf1zfcBOhg+CKubMt53MvIt/uEWP6zdkdIQzd/fmwlM/dlPWF74ewI=";

  private static final String LINE = "— example.com/log " + SIG + "\n";

  @Test
  void parsesTextAndSignatures() {
    SignedNote n = parse(TEXT + "\n" + LINE + "— other.example AAAAAAE=\n");
    assertEquals(TEXT, n.textString());
    assertArrayEquals(utf8(TEXT), n.text());
    assertEquals(2, n.signatures().size());
    SignedNote.Signature s = n.signatures().get(0);
    assertEquals("example.com/log", s.name());
    assertEquals(0x33d7b496, s.keyId());
    assertEquals(64, s.signature().length);
    assertEquals("example.com/log+33d7b496", s.keyLabel());
    assertEquals("other.example+00000000", n.signatures().get(1).keyLabel());
    assertEquals(1, n.signatures().get(1).signature().length);
  }

  // The split is at the last blank line; earlier blank lines belong to the (signed) text.
  @Test
  void splitsAtTheLastBlankLine() {
    SignedNote n = parse("a\n\nb\n\n" + LINE);
    assertEquals("a\n\nb\n", n.textString());
  }

  @Test
  void noBlankLine() {
    assertMalformed(TEXT + LINE);
    assertMalformed(TEXT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "- example.com/log " + SIG + "\n", // hyphen, not em dash
        "–  example.com/log " + SIG + "\n", // en dash
        "—example.com/log " + SIG + "\n", // no space after the dash
        "— example.com/log  " + SIG + "\n", // two spaces
        "—  " + SIG + "\n", // empty name
        "— example.com/log\n", // no signature
        "— example.com/log \n", // empty signature
        "— example.com/log " + SIG + " extra\n",
        "— example+com " + SIG + "\n", // '+' in name
        "— example.com/log not-base64!\n",
        "— example.com/log AAAA\n", // 3 bytes: shorter than key ID + 1
        "— example.com/log AAAAAA==\n", // 4 bytes: key ID only
        "— example.com/log " + SIG, // no final newline
        "— example.com/log " + SIG + "\n\n", // trailing blank line
        "— example.com/log " + SIG + "\nnot a signature\n",
        "\n", // empty signature block
        "",
      })
  void badSignatureBlock(String block) {
    assertMalformed(TEXT + "\n" + block);
  }

  @Test
  void signatureLineLimits() {
    assertEquals(16, parse(TEXT + "\n" + LINE.repeat(16)).signatures().size());
    assertEquals(100, parse(TEXT + "\n" + LINE.repeat(100)).signatures().size());
    assertThrows(InvalidLogException.class, () -> parse(TEXT + "\n" + LINE.repeat(101)));
  }

  @Test
  void tooManySignaturesNamesTheResource() {
    assertMalformed(TEXT + "\n" + LINE.repeat(101));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "\u0001", "\t", "\r", "\u001b", "\u001f"})
  void controlCharacters(String c) {
    assertMalformed(c + TEXT + "\n" + LINE);
    assertMalformed(TEXT + "\n" + LINE.replace("\n", c + "\n"));
  }

  @Test
  void invalidUtf8() {
    byte[] good = utf8(TEXT + "\n" + LINE);
    for (byte[] bad :
        new byte[][] {
          {(byte) 0xff},
          {(byte) 0xc0, (byte) 0xaf},
          {(byte) 0xe2, (byte) 0x80},
          {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        }) {
      byte[] note = new byte[bad.length + good.length];
      System.arraycopy(bad, 0, note, 0, bad.length);
      System.arraycopy(good, 0, note, bad.length, good.length);
      assertMalformedBytes(note);
    }
    // The em dash itself cut short: E2 80 without 94.
    byte[] cut = utf8(TEXT + "\n" + LINE);
    int dash = TEXT.length() + 1;
    assertMalformedBytes(
        concat(Arrays.copyOf(cut, dash + 2), Arrays.copyOfRange(cut, dash + 3, cut.length)));
  }

  @Test
  void sizeLimit() {
    String tail = "\n" + LINE;
    int fill = SignedNote.MAX_BYTES - utf8(tail).length - 2;
    String atLimit =
        "x".repeat(fill) + "\n\n" + tail; // text "x...x\n\n" keeps one blank line inside
    assertEquals(SignedNote.MAX_BYTES, utf8(atLimit).length);
    assertEquals(1, parse(atLimit).signatures().size());
    assertMalformed("y" + atLimit);
  }

  @Test
  void keyNames() {
    assertTrue(SignedNote.isValidKeyName("example.com/log/testdata"));
    assertTrue(SignedNote.isValidKeyName("sum.golang.org"));
    assertTrue(SignedNote.isValidKeyName("caf\u00e9"));
    for (String bad :
        new String[] {"", "a+b", "a b", "a\tb", "a\nb", "a\u2028b", "a\u3000b", "a\u2003b"}) {
      assertFalse(SignedNote.isValidKeyName(bad), bad);
    }
  }

  // Go's unicode.IsSpace (used by note.isValidName) includes U+0085 and the no-break spaces.
  @Test
  void noBreakSpacesAreWhitespace() {
    for (String bad : new String[] {"a\u00a0b", "a\u2007b", "a\u202fb", "a\u0085b"}) {
      assertFalse(SignedNote.isValidKeyName(bad), bad);
    }
    assertMalformed(TEXT + "\n— example.com\u00a0log " + SIG + "\n");
  }

  // Go decodes signatures with base64.StdEncoding, which requires '=' padding.
  @Test
  void unpaddedSignatureIsMalformed() {
    assertMalformed(TEXT + "\n— example.com/log " + SIG.substring(0, SIG.length() - 1) + "\n");
  }

  private static SignedNote parse(String note) {
    return SignedNote.parse(RES, utf8(note));
  }

  private static void assertMalformed(String note) {
    assertMalformedBytes(utf8(note));
  }

  private static void assertMalformedBytes(byte[] note) {
    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> SignedNote.parse(RES, note));
    assertTrue(e.getMessage().startsWith(RES + ": malformed note"), e.getMessage());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
