package dev.tlogmigrate.transforms.format;

import java.security.MessageDigest;
import java.util.Map;

/** A tile of log entries, parsed and checked: an entry bundle, or a static-ct-api data tile. */
public interface LeafTile {
  /** Number of entries. */
  int size();

  /** The tile's canonical bytes: exactly its entries. */
  byte[] bytes();

  int byteLength();

  /** The level-0 hash tile: the Merkle leaf hash of every entry, concatenated. */
  byte[] leafHashes(MessageDigest md);

  /**
   * Each entry's identity, as Tessera's antispam index keys it ({@code IDSeq.h}): what a frontend
   * computes for a submission and the antispam follower for an entry of the log, so that the same
   * entry submitted again is answered with its index. 32 bytes per entry, concatenated.
   */
  byte[] identities(MessageDigest md);

  /**
   * Checks what the entries say about their own place in the log against where they are.
   *
   * @param firstIndex the log index of this tile's first entry
   */
  void checkLeafIndices(long firstIndex, String resource);

  /**
   * The issuer certificates the entries reference, by lowercase hex SHA-256 fingerprint (the {@code
   * issuer/<hex>} names), each with the first entry (index in this tile) that references it.
   */
  Map<String, Integer> issuerReferences();
}
