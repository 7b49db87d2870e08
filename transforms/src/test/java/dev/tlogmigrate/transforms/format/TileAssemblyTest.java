package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The refusals of TileAssembly that the pipeline cannot provoke from a valid run
 * (TileMathProperties covers the tiles it builds; the pipeline tests a node twice and a missing
 * one).
 */
class TileAssemblyTest {
  private static final byte[] HASH = new byte[Tiles.HASH_SIZE];

  @Test
  void aNodeBeyondTheEdgeWidthIsRefused() {
    TileAssembly tile = TileAssembly.start(1, 0, TreeEdge.empty(), 3L * Tiles.WIDTH);
    for (int i = 0; i < 4; i++) {
      tile.add(i, HASH);
    }

    IllegalStateException e = assertThrows(IllegalStateException.class, tile::finish);
    assertEquals(
        "tile tile/1/000 of tree size 768 has 4 nodes, want the first 3 (node 3 is extra)",
        e.getMessage());
  }

  @Test
  void aTileBeyondTheRightEdgeWantsNoNode() {
    TileAssembly tile = TileAssembly.start(1, 1, TreeEdge.empty(), 3L * Tiles.WIDTH);
    tile.add(0, HASH);

    IllegalStateException e = assertThrows(IllegalStateException.class, tile::finish);
    assertEquals(
        "tile tile/1/001 of tree size 768 has 1 nodes, want the first 0 (node 0 is extra)",
        e.getMessage());
  }

  @Test
  void aNodeOutsideTheTileOrNotAHashIsRefused() {
    TileAssembly tile = TileAssembly.start(2, 5, TreeEdge.empty(), 1L << 40);

    assertEquals(
        "tile tile/2/005 got a node at 256 of 32 bytes",
        assertThrows(IllegalStateException.class, () -> tile.add(256, HASH)).getMessage());
    assertEquals(
        "tile tile/2/005 got a node at 7 of 31 bytes",
        assertThrows(IllegalStateException.class, () -> tile.add(7, new byte[31])).getMessage());
  }
}
