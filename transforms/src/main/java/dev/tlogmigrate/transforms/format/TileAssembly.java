package dev.tlogmigrate.transforms.format;

import java.util.Arrays;

/**
 * One hash tile of level L (at least 1) put together from its nodes, as a run from the committed
 * size to a larger tree builds it: the left part of the tile that held the committed tree's right
 * edge is that edge tile, the rest are the roots of the full level-(L-1) tiles the run built. A
 * node given twice, a node outside the tile's width or a gap is an error naming the tile.
 */
public final class TileAssembly {
  private final int level;
  private final long index;
  private final long treeSize;
  private final byte[] tile = new byte[Tiles.FULL_TILE_BYTES];
  private final boolean[] present = new boolean[Tiles.WIDTH];
  private int count;

  private TileAssembly(int level, long index, long treeSize) {
    this.level = level;
    this.index = index;
    this.treeSize = treeSize;
  }

  /**
   * Starts tile {@code index} of {@code level} of a tree of {@code treeSize} grown from {@code
   * prior}: where this is the tile that held prior's right edge, its nodes are in place already.
   */
  public static TileAssembly start(int level, long index, TreeEdge prior, long treeSize) {
    if (level < 1) {
      throw new IllegalArgumentException("level-0 tiles are built from the entries, not here");
    }
    TileAssembly a = new TileAssembly(level, index, treeSize);
    byte[] edge = prior.tile(level);
    if (edge != null && index == Tiles.edgeIndex(prior.size(), level)) {
      System.arraycopy(edge, 0, a.tile, 0, edge.length);
      a.count = edge.length / Tiles.HASH_SIZE;
      Arrays.fill(a.present, 0, a.count, true);
    }
    return a;
  }

  /** Places the root of child tile {@code position} (0..255) of this tile. */
  public void add(int position, byte[] hash) {
    if (position < 0 || position >= Tiles.WIDTH || hash.length != Tiles.HASH_SIZE) {
      throw new IllegalStateException(
          "tile " + fullPath() + " got a node at " + position + " of " + hash.length + " bytes");
    }
    if (present[position]) {
      throw new IllegalStateException("tile " + fullPath() + " got node " + position + " twice");
    }
    present[position] = true;
    count++;
    System.arraycopy(hash, 0, tile, position * Tiles.HASH_SIZE, Tiles.HASH_SIZE);
  }

  /** The finished tile: all 256 nodes, or the first edge width ones of the right-edge tile. */
  public byte[] finish() {
    int want = width();
    for (int i = 0; i < Tiles.WIDTH; i++) {
      if (present[i] != (i < want)) {
        throw new IllegalStateException(
            "tile "
                + fullPath()
                + " of tree size "
                + treeSize
                + " has "
                + count
                + " nodes, want the first "
                + want
                + " (node "
                + i
                + (present[i] ? " is extra)" : " is missing)"));
      }
    }
    return want == Tiles.WIDTH ? tile.clone() : Arrays.copyOf(tile, want * Tiles.HASH_SIZE);
  }

  /** The finished tile's path, with its width. */
  public TilePath path() {
    return TilePath.hashTile(level, index, width());
  }

  /** 256 left of the right edge, the edge width at it, none beyond. */
  private int width() {
    long edge = Tiles.edgeIndex(treeSize, level);
    return index < edge ? Tiles.WIDTH : index == edge ? Tiles.edgeWidth(treeSize, level) : 0;
  }

  private TilePath fullPath() {
    return TilePath.hashTile(level, index, Tiles.WIDTH);
  }
}
