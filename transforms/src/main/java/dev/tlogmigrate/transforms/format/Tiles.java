package dev.tlogmigrate.transforms.format;

/** The tile geometry of c2sp.org/tlog-tiles: height 8, so 256 hashes or entries per tile. */
public final class Tiles {
  public static final int HEIGHT = 8;
  public static final int WIDTH = 1 << HEIGHT;
  public static final int HASH_SIZE = 32;
  public static final int FULL_TILE_BYTES = WIDTH * HASH_SIZE;

  /** Levels 0..7 suffice for any tree size below 2^63. */
  public static final int MAX_LEVEL = 63;

  private Tiles() {}

  /**
   * Number of complete nodes at tile level {@code level} (tree height 8*level) for a tree of size.
   */
  public static long nodesAt(long size, int level) {
    int shift = HEIGHT * level;
    return shift >= Long.SIZE ? 0 : size >>> shift;
  }

  /** Index of the tile at {@code level} that holds the right edge of a tree of size. */
  public static long edgeIndex(long size, int level) {
    return nodesAt(size, level) >>> HEIGHT;
  }

  /** Width of the partial tile at the right edge of level, or 0 when that level has none. */
  public static int edgeWidth(long size, int level) {
    return (int) (nodesAt(size, level) & (WIDTH - 1));
  }

  /** The highest level holding at least one node, or -1 for the empty tree. */
  public static int topLevel(long size) {
    int level = -1;
    while (nodesAt(size, level + 1) > 0) {
      level++;
    }
    return level;
  }

  /** Number of entry bundles (full and partial) of a tree of size. */
  public static long bundleCount(long size) {
    return nodesAt(size, 1) + (edgeWidth(size, 0) > 0 ? 1 : 0);
  }

  /** Width (entries) of bundle {@code index} in a tree of size: 256, or the right-edge width. */
  public static int bundleWidth(long size, long index) {
    if (index < 0 || index >= bundleCount(size)) {
      throw new IllegalArgumentException("bundle " + index + " is outside a tree of size " + size);
    }
    long end = (index + 1) * WIDTH;
    return end <= size ? WIDTH : (int) (size - index * WIDTH);
  }
}
