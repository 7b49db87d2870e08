package dev.tlogmigrate.launcher.testing;

import dev.tlogmigrate.transforms.format.NoteKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/** A witness for tests: cosigns checkpoints with cosignature/v1 (type 0x04) Ed25519 signatures. */
public final class Witness {
  private final String name;
  private final KeyPair key;
  private final int keyId;
  private final byte[] material;

  public Witness(String name) throws GeneralSecurityException {
    this.name = name;
    this.key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = key.getPublic().getEncoded();
    material = new byte[33];
    material[0] = 0x04;
    System.arraycopy(spki, spki.length - 32, material, 1, 32);
    keyId = NoteKeys.keyId(name, material);
  }

  public String verifierKey() {
    return String.format("%s+%08x+%s", name, keyId, Base64.getEncoder().encodeToString(material));
  }

  /** The note with this witness's cosignature line appended. */
  public byte[] cosign(byte[] note) throws GeneralSecurityException {
    String s = new String(note, StandardCharsets.UTF_8);
    String text = s.substring(0, s.lastIndexOf("\n\n") + 1);
    long timestamp = 1_767_139_200L;
    Signature sig = Signature.getInstance("Ed25519");
    sig.initSign(key.getPrivate());
    sig.update(
        ("cosignature/v1\ntime " + timestamp + "\n" + text).getBytes(StandardCharsets.UTF_8));
    byte[] blob =
        ByteBuffer.allocate(4 + 8 + 64).putInt(keyId).putLong(timestamp).put(sig.sign()).array();
    byte[] line =
        ("\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(note, note.length + line.length);
    System.arraycopy(line, 0, out, note.length, line.length);
    return out;
  }
}
