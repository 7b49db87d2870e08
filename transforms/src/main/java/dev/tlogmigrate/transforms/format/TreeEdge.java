package dev.tlogmigrate.transforms.format;

import java.io.Serializable;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The right-edge (partial) hash tiles of a tree of a given size: all that is needed to compute its
 * root, and the left part of the edge tiles that an incremental migration extends.
 */
public final class TreeEdge implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final byte[][] tiles;

  private TreeEdge(long size, byte[][] tiles) {
    this.size = size;
    this.tiles = tiles;
  }

  public static TreeEdge empty() {
    return new TreeEdge(0, new byte[0][]);
  }

  /**
   * Builds the edge from a function that gives, for each level with a partial edge tile, that
   * tile's bytes (exactly 32 * width). Null or a wrong length is an error naming the tile.
   */
  public static TreeEdge of(long size, IntFunction<byte[]> tileAtLevel) {
    int top = Tiles.topLevel(size);
    byte[][] tiles = new byte[top + 1][];
    for (int level = 0; level <= top; level++) {
      int width = Tiles.edgeWidth(size, level);
      if (width == 0) {
        continue;
      }
      TilePath path = TilePath.hashTile(level, Tiles.edgeIndex(size, level), width);
      byte[] tile = tileAtLevel.apply(level);
      if (tile == null) {
        throw new InvalidLogException("missing right-edge tile " + path + " for tree size " + size);
      }
      if (tile.length != width * Tiles.HASH_SIZE) {
        throw new InvalidLogException(
            "right-edge tile "
                + path
                + " has "
                + tile.length
                + " bytes, want "
                + width * Tiles.HASH_SIZE);
      }
      tiles[level] = tile.clone();
    }
    return new TreeEdge(size, tiles);
  }

  /**
   * The edge of this tree grown to {@code size} by a run that built the tiles {@code built} gives
   * per level (null where it built none): a level the run did not touch keeps this tree's edge
   * tile, if that is still the edge there.
   */
  public TreeEdge extendedTo(long size, IntFunction<byte[]> built) {
    return of(
        size,
        level -> {
          byte[] tile = built.apply(level);
          boolean unchanged =
              Tiles.edgeIndex(this.size, level) == Tiles.edgeIndex(size, level)
                  && Tiles.edgeWidth(this.size, level) == Tiles.edgeWidth(size, level);
          return tile != null ? tile : unchanged ? tile(level) : null;
        });
  }

  public long size() {
    return size;
  }

  /** The partial tile at level, or null when the level has none. */
  public byte[] tile(int level) {
    return level < tiles.length && tiles[level] != null ? tiles[level].clone() : null;
  }

  /** The tree's root: the perfect subtrees inside every edge tile, folded from the right. */
  public byte[] root() {
    MessageDigest md = Rfc6962.sha256();
    List<byte[]> subtrees = new ArrayList<>();
    for (int level = tiles.length - 1; level >= 0; level--) {
      byte[] tile = tiles[level];
      if (tile == null) {
        continue;
      }
      int width = tile.length / Tiles.HASH_SIZE;
      int pos = 0;
      for (int bit = Tiles.HEIGHT - 1; bit >= 0; bit--) {
        int n = 1 << bit;
        if ((width & n) != 0) {
          subtrees.add(Rfc6962.subtreeRoot(md, tile, pos, n));
          pos += n;
        }
      }
    }
    return Rfc6962.foldFromRight(md, subtrees);
  }
}
