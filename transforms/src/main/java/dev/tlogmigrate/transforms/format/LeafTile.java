package dev.tlogmigrate.transforms.format;

import java.security.MessageDigest;

/** A tile of log entries, parsed and checked: an entry bundle, or a static-ct-api data tile. */
public interface LeafTile {
  /** Number of entries. */
  int size();

  /** The tile's canonical bytes: exactly its entries. */
  byte[] bytes();

  int byteLength();

  /** The level-0 hash tile: the Merkle leaf hash of every entry, concatenated. */
  byte[] leafHashes(MessageDigest md);
}
