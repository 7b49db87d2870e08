package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.format.Tiles;
import java.util.Arrays;
import org.apache.beam.sdk.transforms.DoFn;
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

  /**
   * With an antispam index to fill: each entry's identity ({@code LeafTile.identities}) and index,
   * from the index's {@code nextIdx} on.
   */
  public static final TupleTag<KV<byte[], Long>> ENTRY_IDENTITIES = new TupleTag<>() {};

  private TreeOutputs() {}

  /**
   * Emits the identities of the entries of bundle {@code index}, from entry {@code from} of the log
   * on.
   */
  static void entryIdentities(
      long index, byte[] identities, long from, DoFn.OutputReceiver<KV<byte[], Long>> out) {
    int entries = identities.length / Tiles.HASH_SIZE;
    for (int i = 0; i < entries; i++) {
      long entry = index * Tiles.WIDTH + i;
      if (entry >= from) {
        int at = i * Tiles.HASH_SIZE;
        out.output(KV.of(Arrays.copyOfRange(identities, at, at + Tiles.HASH_SIZE), entry));
      }
    }
  }

  /** The root of full tile {@code index} as a node of its parent tile. */
  static KV<Long, KV<Integer, byte[]>> parentNode(long index, byte[] root) {
    return KV.of(index >>> 8, KV.of((int) (index & 0xff), root));
  }
}
