package dev.tlogmigrate.transforms.format;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes after the key ID of a type 0x05 note signature (static-ct-api RFC6962NoteSignature):
 * {@code u64 timestamp (ms) || u8 hash_alg || u8 sig_alg || u16 length || signature}, the RFC 6962
 * DigitallySigned of the tree head, consumed exactly.
 */
public record Rfc6962NoteSignature(
    long timestamp, int hashAlgorithm, int signatureAlgorithm, byte[] signature) {
  public static final int HASH_SHA256 = 4;
  public static final int SIGNATURE_RSA = 1;
  public static final int SIGNATURE_ECDSA = 3;

  private static final int HEADER_BYTES = 8 + 1 + 1 + 2;

  public Rfc6962NoteSignature {
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** Throws IllegalArgumentException unless the blob is exactly one RFC6962NoteSignature. */
  public static Rfc6962NoteSignature parse(byte[] blob) {
    if (blob.length < HEADER_BYTES) {
      throw new IllegalArgumentException(
          "RFC 6962 note signature of " + blob.length + " bytes is too short");
    }
    ByteBuffer b = ByteBuffer.wrap(blob);
    long timestamp = b.getLong();
    int hashAlgorithm = b.get() & 0xff;
    int signatureAlgorithm = b.get() & 0xff;
    int length = b.getShort() & 0xffff;
    if (length != b.remaining()) {
      throw new IllegalArgumentException(
          "RFC 6962 note signature claims " + length + " signature bytes, has " + b.remaining());
    }
    return new Rfc6962NoteSignature(
        timestamp,
        hashAlgorithm,
        signatureAlgorithm,
        Arrays.copyOfRange(blob, HEADER_BYTES, blob.length));
  }
}
