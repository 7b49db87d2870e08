package dev.tlogmigrate.transforms.generate;

import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.Tiles;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * SHA-256(seed || counter) as a byte stream: keys and signatures of generated test logs that are
 * the same for the same seed. Never for anything but test data.
 */
final class SeededRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;

  private final byte[] seed;
  private long counter;

  SeededRandom(byte[] seed) {
    this.seed = seed.clone();
  }

  @Override
  public void nextBytes(byte[] bytes) {
    MessageDigest md = Rfc6962.sha256();
    for (int off = 0; off < bytes.length; off += Tiles.HASH_SIZE) {
      md.update(seed);
      md.update(ByteBuffer.allocate(8).putLong(counter++).array());
      byte[] block = md.digest();
      System.arraycopy(block, 0, bytes, off, Math.min(Tiles.HASH_SIZE, bytes.length - off));
    }
  }
}
