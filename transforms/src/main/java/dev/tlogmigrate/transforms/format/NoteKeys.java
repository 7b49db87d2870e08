package dev.tlogmigrate.transforms.format;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The key types of signed-note keys (c2sp.org/signed-note) and their recommended key IDs: what the
 * verifiers, the signers and {@link VerifierKeys} share, so that none of them depends on another.
 */
public final class NoteKeys {
  public static final byte TYPE_ED25519 = 0x01;
  public static final byte TYPE_COSIGNATURE = 0x04;
  public static final byte TYPE_RFC6962 = 0x05;

  private NoteKeys() {}

  /** The recommended key ID: the first 4 bytes of SHA-256(name || '\n' || type || key material). */
  public static int keyId(String name, byte[] typeAndMaterial) {
    MessageDigest md = Rfc6962.sha256();
    md.update(name.getBytes(StandardCharsets.UTF_8));
    md.update((byte) '\n');
    md.update(typeAndMaterial);
    return ByteBuffer.wrap(md.digest()).getInt();
  }
}
