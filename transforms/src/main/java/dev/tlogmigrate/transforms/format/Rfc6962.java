package dev.tlogmigrate.transforms.format;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** RFC 6962 Merkle tree hashing with SHA-256. Callers pass a reusable digest on hot paths. */
public final class Rfc6962 {
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private static final byte[] EMPTY_ROOT = sha256().digest();

  private Rfc6962() {}

  /** Root of the empty tree: SHA-256 of the empty string (not 32 zero bytes). A fresh copy. */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  /** Writes SHA-256(0x00 || data[off, off+len)) into out at outOff. */
  public static void leafHash(
      MessageDigest md, byte[] data, int off, int len, byte[] out, int outOff) {
    md.update(LEAF_PREFIX);
    md.update(data, off, len);
    finish(md, out, outOff);
  }

  public static byte[] leafHash(byte[] entry) {
    byte[] out = new byte[Tiles.HASH_SIZE];
    leafHash(sha256(), entry, 0, entry.length, out, 0);
    return out;
  }

  public static byte[] nodeHash(MessageDigest md, byte[] left, byte[] right) {
    md.update(NODE_PREFIX);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /**
   * Merkle tree hash of {@code count} consecutive 32-byte hashes stored from hash number {@code
   * first} in {@code hashes}: the split is at the largest power of two strictly below count.
   */
  public static byte[] subtreeRoot(MessageDigest md, byte[] hashes, int first, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("empty subtree");
    }
    if (count == 1) {
      byte[] h = new byte[Tiles.HASH_SIZE];
      System.arraycopy(hashes, first * Tiles.HASH_SIZE, h, 0, Tiles.HASH_SIZE);
      return h;
    }
    int k = Integer.highestOneBit(count - 1);
    byte[] left = subtreeRoot(md, hashes, first, k);
    byte[] right = subtreeRoot(md, hashes, first + k, count - k);
    return nodeHash(md, left, right);
  }

  /** Folds the perfect-subtree roots of a tree, left to right, into its root (from the right). */
  public static byte[] foldFromRight(MessageDigest md, List<byte[]> subtreeRoots) {
    if (subtreeRoots.isEmpty()) {
      return emptyRoot();
    }
    byte[] acc = subtreeRoots.get(subtreeRoots.size() - 1);
    for (int i = subtreeRoots.size() - 2; i >= 0; i--) {
      acc = nodeHash(md, subtreeRoots.get(i), acc);
    }
    return acc;
  }

  private static void finish(MessageDigest md, byte[] out, int outOff) {
    try {
      md.digest(out, outOff, Tiles.HASH_SIZE);
    } catch (DigestException e) {
      throw new IllegalArgumentException("no room for a hash at " + outOff, e);
    }
  }
}
