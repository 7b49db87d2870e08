package dev.tlogmigrate.transforms.format;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A signed note (c2sp.org/signed-note): text ending in a newline, a blank line, then signature
 * lines {@code — <name> <base64(key ID || signature)>}. Parsing is as strict as Go's sumdb/note.
 */
public final class SignedNote {
  /** Go's note parser refuses more signature lines than this. */
  public static final int MAX_SIGNATURES = 100;

  /** Notes are small; a checkpoint larger than this is hostile. */
  public static final int MAX_BYTES = 1_000_000;

  private static final String SIG_PREFIX = "\u2014 ";

  /** One signature line: the key name, its 4-byte key ID and the signature bytes after the ID. */
  public record Signature(String name, int keyId, byte[] signature) {
    public String keyLabel() {
      return name + "+" + String.format("%08x", keyId);
    }
  }

  private final byte[] text;
  private final List<Signature> signatures;

  private SignedNote(byte[] text, List<Signature> signatures) {
    this.text = text;
    this.signatures = signatures;
  }

  /** The signed text, final newline included. */
  public byte[] text() {
    return text.clone();
  }

  public String textString() {
    return new String(text, StandardCharsets.UTF_8);
  }

  public List<Signature> signatures() {
    return signatures;
  }

  public static SignedNote parse(String resource, byte[] note) {
    if (note.length > MAX_BYTES) {
      throw new InvalidLogException(
          resource + ": malformed note: " + note.length + " bytes, more than " + MAX_BYTES);
    }
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(note))
              .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidLogException(resource + ": malformed note: not valid UTF-8");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new InvalidLogException(
            resource + ": malformed note: control character 0x" + Integer.toHexString(c));
      }
    }
    int split = s.lastIndexOf("\n\n");
    if (split < 0) {
      throw new InvalidLogException(
          resource + ": malformed note: no blank line before the signatures");
    }
    String textPart = s.substring(0, split + 1);
    String sigPart = s.substring(split + 2);
    if (!sigPart.endsWith("\n")) {
      throw new InvalidLogException(
          resource + ": malformed note: signature block does not end with a newline");
    }
    String[] lines = sigPart.substring(0, sigPart.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw new InvalidLogException(
          resource
              + ": malformed note: "
              + lines.length
              + " signature lines, more than "
              + MAX_SIGNATURES);
    }
    List<Signature> sigs = new ArrayList<>();
    for (String line : lines) {
      sigs.add(parseSignature(resource, line));
    }
    return new SignedNote(textPart.getBytes(StandardCharsets.UTF_8), List.copyOf(sigs));
  }

  private static Signature parseSignature(String resource, String line) {
    if (!line.startsWith(SIG_PREFIX)) {
      throw new InvalidLogException(
          resource + ": malformed note: not a signature line: " + Excerpt.of(line));
    }
    String rest = line.substring(SIG_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space <= 0 || rest.indexOf(' ', space + 1) >= 0) {
      throw new InvalidLogException(
          resource + ": malformed note: bad signature line: " + Excerpt.of(line));
    }
    String name = rest.substring(0, space);
    if (!isValidKeyName(name)) {
      throw new InvalidLogException(
          resource + ": malformed note: bad key name in signature line: " + Excerpt.of(line));
    }
    byte[] blob;
    try {
      blob = decodePaddedBase64(rest.substring(space + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidLogException(
          resource + ": malformed note: signature is not base64: " + Excerpt.of(line));
    }
    if (blob.length < 5) {
      throw new InvalidLogException(
          resource + ": malformed note: signature too short: " + Excerpt.of(line));
    }
    int keyId = ByteBuffer.wrap(blob, 0, 4).getInt();
    return new Signature(name, keyId, Arrays.copyOfRange(blob, 4, blob.length));
  }

  /** Standard base64 with its padding, as Go requires: Java's decoder also takes it unpadded. */
  static byte[] decodePaddedBase64(String s) {
    if (s.length() % 4 != 0) {
      throw new IllegalArgumentException("base64 without padding");
    }
    return Base64.getDecoder().decode(s);
  }

  /** Key names are non-empty, have no whitespace and no '+'. */
  public static boolean isValidKeyName(String name) {
    if (name.isEmpty() || name.indexOf('+') >= 0) {
      return false;
    }
    // Go's unicode.IsSpace also counts the no-break spaces and NEL, which Java's isWhitespace does
    // not.
    return name.codePoints()
        .noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85);
  }
}
