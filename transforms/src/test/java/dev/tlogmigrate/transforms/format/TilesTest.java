package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tile geometry (c2sp.org/tlog-tiles): which partial tiles and bundles a tree size implies. */
class TilesTest {

  @Test
  void constants() {
    assertEquals(8, Tiles.HEIGHT);
    assertEquals(256, Tiles.WIDTH);
    assertEquals(32, Tiles.HASH_SIZE);
    assertEquals(8192, Tiles.FULL_TILE_BYTES);
  }

  // Spec example: 273 full level-0 tiles + 273.p/112, tile/1/000 + 001.p/17, tile/2/000.p/1.
  @Test
  void size70000() {
    long s = 70_000;
    assertEquals(70_000, Tiles.nodesAt(s, 0));
    assertEquals(273, Tiles.edgeIndex(s, 0));
    assertEquals(112, Tiles.edgeWidth(s, 0));
    assertEquals(273, Tiles.nodesAt(s, 1));
    assertEquals(1, Tiles.edgeIndex(s, 1));
    assertEquals(17, Tiles.edgeWidth(s, 1));
    assertEquals(1, Tiles.nodesAt(s, 2));
    assertEquals(0, Tiles.edgeIndex(s, 2));
    assertEquals(1, Tiles.edgeWidth(s, 2));
    assertEquals(0, Tiles.nodesAt(s, 3));
    assertEquals(0, Tiles.edgeWidth(s, 3));
    assertEquals(2, Tiles.topLevel(s));
    assertEquals(274, Tiles.bundleCount(s));
    assertEquals(256, Tiles.bundleWidth(s, 0));
    assertEquals(256, Tiles.bundleWidth(s, 272));
    assertEquals(112, Tiles.bundleWidth(s, 273));
    assertEquals("tile/0/273.p/112", edgePath(s, 0));
    assertEquals("tile/1/001.p/17", edgePath(s, 1));
    assertEquals("tile/2/000.p/1", edgePath(s, 2));
  }

  // Size 256: tile/0/000 is full, so no level-0 partial; tile/1/000.p/1 summarises it.
  @Test
  void size256() {
    assertEquals(0, Tiles.edgeWidth(256, 0));
    assertEquals(1, Tiles.edgeIndex(256, 0));
    assertEquals(1, Tiles.edgeWidth(256, 1));
    assertEquals(0, Tiles.edgeIndex(256, 1));
    assertEquals("tile/1/000.p/1", edgePath(256, 1));
    assertEquals(1, Tiles.topLevel(256));
    assertEquals(1, Tiles.bundleCount(256));
    assertEquals(256, Tiles.bundleWidth(256, 0));
  }

  @Test
  void size65536() {
    assertEquals(0, Tiles.edgeWidth(65536, 0));
    assertEquals(0, Tiles.edgeWidth(65536, 1));
    assertEquals(1, Tiles.edgeWidth(65536, 2));
    assertEquals("tile/2/000.p/1", edgePath(65536, 2));
    assertEquals(2, Tiles.topLevel(65536));
    assertEquals(256, Tiles.bundleCount(65536));
    assertEquals(256, Tiles.bundleWidth(65536, 255));
  }

  @Test
  void emptyTree() {
    assertEquals(-1, Tiles.topLevel(0));
    assertEquals(0, Tiles.bundleCount(0));
    for (int level = 0; level <= Tiles.MAX_LEVEL; level++) {
      assertEquals(0, Tiles.edgeWidth(0, level));
      assertEquals(0, Tiles.edgeIndex(0, level));
    }
  }

  @Test
  void size1() {
    assertEquals(0, Tiles.topLevel(1));
    assertEquals(1, Tiles.edgeWidth(1, 0));
    assertEquals(0, Tiles.edgeIndex(1, 0));
    assertEquals(0, Tiles.edgeWidth(1, 1));
    assertEquals(1, Tiles.bundleCount(1));
    assertEquals(1, Tiles.bundleWidth(1, 0));
  }

  @Test
  void bundleCountAndWidthAroundBoundaries() {
    assertEquals(1, Tiles.bundleCount(255));
    assertEquals(255, Tiles.bundleWidth(255, 0));
    assertEquals(2, Tiles.bundleCount(257));
    assertEquals(256, Tiles.bundleWidth(257, 0));
    assertEquals(1, Tiles.bundleWidth(257, 1));
    assertEquals(2, Tiles.bundleCount(512));
    assertEquals(256, Tiles.bundleWidth(512, 1));
  }

  // Shifting a long by 64 or more wraps in Java; nodesAt must return 0 instead.
  @Test
  void largeLevelsDoNotOverflow() {
    long max = Long.MAX_VALUE;
    assertEquals(max >>> 56, Tiles.nodesAt(max, 7));
    assertEquals(127, Tiles.edgeWidth(max, 7));
    for (int level = 8; level <= Tiles.MAX_LEVEL; level++) {
      assertEquals(0, Tiles.nodesAt(max, level), "level " + level);
      assertEquals(0, Tiles.nodesAt(1, level), "level " + level);
      assertEquals(0, Tiles.edgeWidth(max, level), "level " + level);
      assertEquals(0, Tiles.edgeIndex(max, level), "level " + level);
    }
    assertEquals(7, Tiles.topLevel(max));
    assertEquals(7, Tiles.topLevel(1L << 56));
    assertEquals(6, Tiles.topLevel((1L << 56) - 1));
  }

  // The edge widths are the base-256 digits of the size, and index*256+width = nodes at the level.
  @Test
  void edgeWidthsAreBase256Digits() {
    Random r = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      long size = i < 1_000 ? i : (r.nextLong() >>> 1) >>> r.nextInt(63);
      BigInteger sum = BigInteger.ZERO;
      for (int level = 0; level <= Tiles.MAX_LEVEL; level++) {
        long nodes = Tiles.nodesAt(size, level);
        assertEquals(nodes, Tiles.edgeIndex(size, level) * 256 + Tiles.edgeWidth(size, level));
        sum = sum.add(BigInteger.valueOf(Tiles.edgeWidth(size, level)).shiftLeft(8 * level));
      }
      assertEquals(BigInteger.valueOf(size), sum, "size " + size);
      int top = Tiles.topLevel(size);
      assertEquals(
          size == 0 ? -1 : (63 - Long.numberOfLeadingZeros(size)) / 8, top, "size " + size);
    }
  }

  private static String edgePath(long size, int level) {
    return TilePath.hashTile(level, Tiles.edgeIndex(size, level), Tiles.edgeWidth(size, level))
        .path();
  }

  @Test
  void noBundleOutsideTheTree() {
    assertThrows(IllegalArgumentException.class, () -> Tiles.bundleWidth(70000, 274));
    assertThrows(IllegalArgumentException.class, () -> Tiles.bundleWidth(0, 0));
    assertThrows(IllegalArgumentException.class, () -> Tiles.bundleWidth(256, -1));
  }
}
