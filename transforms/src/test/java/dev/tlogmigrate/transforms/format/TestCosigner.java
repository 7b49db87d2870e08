package dev.tlogmigrate.transforms.format;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/** A witness with a fresh JDK Ed25519 key that writes cosignature/v1 (0x04) lines by the spec. */
final class TestCosigner {
  final String name;
  private final KeyPair pair;
  private final byte[] publicKey;
  private final int keyId;

  TestCosigner(String name) {
    this.name = name;
    try {
      this.pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
    byte[] spki = pair.getPublic().getEncoded();
    this.publicKey = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    // SHA-256(name || 0x0A || 0x04 || key)[:4], computed here rather than with NoteKeys.keyId.
    var md = TestData.sha256();
    md.update(TestData.utf8(name + "\n"));
    md.update((byte) 0x04);
    md.update(publicKey);
    this.keyId = ByteBuffer.wrap(md.digest()).getInt();
  }

  String vkey() {
    byte[] material = new byte[33];
    material[0] = 0x04;
    System.arraycopy(publicKey, 0, material, 1, 32);
    return String.format("%s+%08x+%s", name, keyId, Base64.getEncoder().encodeToString(material));
  }

  NoteVerifier verifier() {
    return VerifierKeys.parse(vkey());
  }

  /** Key ID || u64 seconds || Ed25519("cosignature/v1\ntime <seconds>\n" || text). */
  byte[] blob(String text, long seconds) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(pair.getPrivate());
      s.update(
          ("cosignature/v1\ntime " + Long.toUnsignedString(seconds) + "\n" + text)
              .getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(4 + 8 + 64).putInt(keyId).putLong(seconds).put(s.sign()).array();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  String line(String text, long seconds) {
    return line(blob(text, seconds));
  }

  String line(byte[] blob) {
    return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
  }

  /** A signed note: the text, a blank line, then the given signature lines. */
  static byte[] note(String text, String... lines) {
    return TestData.utf8(text + "\n" + String.join("", lines));
  }
}
