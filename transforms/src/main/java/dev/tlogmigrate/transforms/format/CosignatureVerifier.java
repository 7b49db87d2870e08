package dev.tlogmigrate.transforms.format;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;

/**
 * Signature type 0x04 (c2sp.org/tlog-cosignature cosignature/v1): a witness's Ed25519 signature
 * over {@code "cosignature/v1\ntime <seconds>\n"} and the whole note text, extension lines
 * included. The signature bytes are the 8-byte big-endian timestamp followed by the 64-byte
 * signature.
 */
public final class CosignatureVerifier extends KeyedNoteVerifier {
  private static final long serialVersionUID = 1L;
  private static final int TIMESTAMP_BYTES = 8;
  private static final int SIGNATURE_BYTES = 64;

  private final byte[] publicKey;

  CosignatureVerifier(String name, byte[] publicKey) {
    super(name, keyId(name, publicKey));
    if (publicKey.length != 32) {
      throw new IllegalArgumentException(
          "Ed25519 public key must be 32 bytes, got " + publicKey.length);
    }
    this.publicKey = publicKey.clone();
  }

  private static int keyId(String name, byte[] publicKey) {
    byte[] material = new byte[1 + publicKey.length];
    material[0] = NoteKeys.TYPE_COSIGNATURE;
    System.arraycopy(publicKey, 0, material, 1, publicKey.length);
    return NoteKeys.keyId(name, material);
  }

  @Override
  public boolean verify(byte[] text, byte[] signature) {
    if (signature.length != TIMESTAMP_BYTES + SIGNATURE_BYTES) {
      return false;
    }
    // The timestamp is a u64; Go formats it unsigned.
    long seconds = ByteBuffer.wrap(signature, 0, TIMESTAMP_BYTES).getLong();
    String header = "cosignature/v1\ntime " + Long.toUnsignedString(seconds) + "\n";
    try {
      Signature v = Signature.getInstance("Ed25519");
      v.initVerify(Ed25519NoteVerifier.toPublicKey(publicKey));
      v.update(header.getBytes(StandardCharsets.UTF_8));
      v.update(text);
      return v.verify(signature, TIMESTAMP_BYTES, SIGNATURE_BYTES);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
