package dev.tlogmigrate.transforms.generate;

import dev.tlogmigrate.transforms.format.DataTile;
import dev.tlogmigrate.transforms.format.Tiles;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Encodes static-ct-api TileLeaf records, for test logs and generators; a migration copies data
 * tiles verbatim. A data tile is the concatenation of its records.
 */
public final class TileLeafEncoder {
  /** Leaf indexes are uint40. */
  public static final long MAX_LEAF_INDEX = (1L << 40) - 1;

  private TileLeafEncoder() {}

  /** An x509_entry record; {@code chain} holds the 32-byte SHA-256 fingerprints of the issuers. */
  public static byte[] x509(
      long timestamp, byte[] certificate, byte[] extensions, List<byte[]> chain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    uint(out, timestamp, 8);
    uint(out, DataTile.X509_ENTRY, 2);
    prefixed(out, certificate, 3, "certificate");
    prefixed(out, extensions, 2, "extensions");
    chain(out, chain);
    return out.toByteArray();
  }

  /** A precert_entry record: the signed TBS, then the submitted precertificate and the chain. */
  public static byte[] precert(
      long timestamp,
      byte[] issuerKeyHash,
      byte[] tbsCertificate,
      byte[] extensions,
      byte[] preCertificate,
      List<byte[]> chain) {
    if (issuerKeyHash.length != Tiles.HASH_SIZE) {
      throw new IllegalArgumentException(
          "issuer_key_hash must be 32 bytes, got " + issuerKeyHash.length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    uint(out, timestamp, 8);
    uint(out, DataTile.PRECERT_ENTRY, 2);
    out.writeBytes(issuerKeyHash);
    prefixed(out, tbsCertificate, 3, "tbs_certificate");
    prefixed(out, extensions, 2, "extensions");
    prefixed(out, preCertificate, 3, "pre_certificate");
    chain(out, chain);
    return out.toByteArray();
  }

  /** The CtExtensions static-ct logs write: one leaf_index extension (type 0, 5-byte index). */
  public static byte[] leafIndexExtension(long leafIndex) {
    if (leafIndex < 0 || leafIndex > MAX_LEAF_INDEX) {
      throw new IllegalArgumentException("leaf index " + leafIndex + " is not a uint40");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    uint(out, 0, 1);
    uint(out, 5, 2);
    uint(out, leafIndex, 5);
    return out.toByteArray();
  }

  private static void chain(ByteArrayOutputStream out, List<byte[]> fingerprints) {
    ByteArrayOutputStream chain = new ByteArrayOutputStream();
    for (byte[] f : fingerprints) {
      if (f.length != Tiles.HASH_SIZE) {
        throw new IllegalArgumentException("chain fingerprint must be 32 bytes, got " + f.length);
      }
      chain.writeBytes(f);
    }
    prefixed(out, chain.toByteArray(), 2, "certificate_chain");
  }

  private static void prefixed(
      ByteArrayOutputStream out, byte[] value, int lengthBytes, String field) {
    if (value.length >= 1L << (8 * lengthBytes)) {
      throw new IllegalArgumentException(
          field + " of " + value.length + " bytes does not fit its length prefix");
    }
    uint(out, value.length, lengthBytes);
    out.writeBytes(value);
  }

  private static void uint(ByteArrayOutputStream out, long value, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)));
    }
  }
}
