package dev.tlogmigrate.transforms.format;

import java.util.Arrays;
import java.util.Base64;

/**
 * How a hash tile a source serves differs from the one rebuilt from the log's entries: the first
 * hash that differs, which nodes it covers, and both values. Clients build inclusion and
 * consistency proofs from the source's tiles, so a wrong one breaks them even when every entry and
 * the root are right.
 */
public final class TileComparison {
  private TileComparison() {}

  /**
   * Null when {@code served} is exactly {@code rebuilt}; else one line naming {@code resource}.
   * {@code served} null: the source does not have the tile.
   */
  public static String mismatch(String resource, TilePath path, byte[] rebuilt, byte[] served) {
    if (served == null) {
      return resource + ": hash tile missing from the source";
    }
    if (Arrays.equals(rebuilt, served)) {
      return null;
    }
    if (served.length != rebuilt.length) {
      return resource
          + ": "
          + served.length
          + " bytes, want "
          + rebuilt.length
          + " ("
          + rebuilt.length / Tiles.HASH_SIZE
          + " hashes)";
    }
    int i = 0;
    while (Arrays.equals(
        rebuilt,
        i * Tiles.HASH_SIZE,
        (i + 1) * Tiles.HASH_SIZE,
        served,
        i * Tiles.HASH_SIZE,
        (i + 1) * Tiles.HASH_SIZE)) {
      i++;
    }
    long node = path.index() * Tiles.WIDTH + i;
    long first = node << (Tiles.HEIGHT * path.level());
    long count = 1L << (Tiles.HEIGHT * path.level());
    String covers = count == 1 ? "entry " + first : "entries " + first + ".." + (first + count - 1);
    return resource
        + ": hash "
        + i
        + " (level "
        + path.level()
        + " node "
        + node
        + ", "
        + covers
        + ") is "
        + b64(served, i)
        + ", rebuilt from the entries "
        + b64(rebuilt, i);
  }

  private static String b64(byte[] tile, int i) {
    return Base64.getEncoder()
        .encodeToString(Arrays.copyOfRange(tile, i * Tiles.HASH_SIZE, (i + 1) * Tiles.HASH_SIZE));
  }
}
