package dev.tlogmigrate.transforms.generate;

import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeEdge;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Builds every hash tile of a log from its leaf hashes, streamed in order: each time 256 hashes of
 * a level are complete, that full tile goes to the sink and its root moves up a level. Memory is
 * one tile per level.
 */
public final class TreeBuilder {
  /** Receives each full tile as it completes. */
  public interface TileSink {
    void accept(TilePath path, byte[] tile);
  }

  private final MessageDigest md = Rfc6962.sha256();
  private final TileSink sink;
  private final byte[][] rows = new byte[Tiles.MAX_LEVEL + 1][];
  private final int[] widths = new int[Tiles.MAX_LEVEL + 1];
  private long size;

  public TreeBuilder(TileSink sink) {
    this.sink = sink;
  }

  public long size() {
    return size;
  }

  public void appendLeafHash(byte[] hash) {
    append(0, hash);
    size++;
  }

  private void append(int level, byte[] hash) {
    if (rows[level] == null) {
      rows[level] = new byte[Tiles.FULL_TILE_BYTES];
    }
    System.arraycopy(hash, 0, rows[level], widths[level] * Tiles.HASH_SIZE, Tiles.HASH_SIZE);
    if (++widths[level] == Tiles.WIDTH) {
      byte[] tile = rows[level].clone();
      long index = Tiles.nodesAt(size, level) >>> Tiles.HEIGHT;
      sink.accept(TilePath.hashTile(level, index, Tiles.WIDTH), tile);
      widths[level] = 0;
      append(level + 1, Rfc6962.subtreeRoot(md, tile, 0, Tiles.WIDTH));
    }
  }

  /** The partial tiles at the right edge of the tree built so far. */
  public TreeEdge edge() {
    return TreeEdge.of(size, level -> Arrays.copyOf(rows[level], widths[level] * Tiles.HASH_SIZE));
  }
}
