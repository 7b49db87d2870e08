package dev.tlogmigrate.transforms.format;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

/** Signature type 0x01: an Ed25519 signature over the note text. */
public final class Ed25519NoteVerifier extends KeyedNoteVerifier {
  private static final long serialVersionUID = 1L;

  /** DER prefix of an Ed25519 SubjectPublicKeyInfo, followed by the 32-byte key. */
  private static final byte[] SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private final byte[] publicKey;

  Ed25519NoteVerifier(String name, int keyId, byte[] publicKey) {
    super(name, keyId);
    if (publicKey.length != 32) {
      throw new IllegalArgumentException(
          "Ed25519 public key must be 32 bytes, got " + publicKey.length);
    }
    this.publicKey = publicKey.clone();
  }

  @Override
  public boolean verify(byte[] text, byte[] signature) {
    if (signature.length != 64) {
      return false;
    }
    try {
      Signature v = Signature.getInstance("Ed25519");
      v.initVerify(toPublicKey(publicKey));
      v.update(text);
      return v.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static PublicKey toPublicKey(byte[] raw) throws GeneralSecurityException {
    byte[] spki = new byte[SPKI_PREFIX.length + raw.length];
    System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
    System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, raw.length);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
  }
}
