package dev.tlogmigrate.transforms.format;

import java.security.DigestException;
import java.security.MessageDigest;

/**
 * The identities Tessera's antispam index keys entries by ({@link LeafTile#identities}): a SHA-256
 * of the bytes that make an entry what it is, which the format decides.
 */
final class EntryIdentities {
  private EntryIdentities() {}

  /** Writes SHA-256(data[off, off+len)) as identity number {@code i} of out. */
  static void put(MessageDigest md, byte[] data, int off, int len, byte[] out, int i) {
    md.update(data, off, len);
    try {
      md.digest(out, i * Tiles.HASH_SIZE, Tiles.HASH_SIZE);
    } catch (DigestException e) {
      throw new IllegalArgumentException("no room for identity " + i, e);
    }
  }
}
