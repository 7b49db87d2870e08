package dev.tlogmigrate.transforms;

import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What the tile stages pass on. Only hashes travel between stages, never entry bytes.
 *
 * <p>A full tile's root is a node of the level above: keyed by the parent tile's index, valued by
 * (position in the parent, hash). A right-edge partial tile is never rolled up; it goes, with its
 * level, to the final stage that computes the root.
 */
public final class TreeOutputs {
  public static final TupleTag<KV<Long, KV<Integer, byte[]>>> FULL_TILE_ROOTS = new TupleTag<>() {};
  public static final TupleTag<KV<Integer, byte[]>> EDGE_TILES = new TupleTag<>() {};

  /** static-ct-api only: an issuer fingerprint (lowercase hex) and one entry that references it. */
  public static final TupleTag<KV<String, Long>> ISSUER_REFERENCES = new TupleTag<>() {};

  private TreeOutputs() {}

  /** The root of full tile {@code index} as a node of its parent tile. */
  static KV<Long, KV<Integer, byte[]>> parentNode(long index, byte[] root) {
    return KV.of(index >>> 8, KV.of((int) (index & 0xff), root));
  }
}
