package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tile and bundle paths (c2sp.org/tlog-tiles): canonical encoding both ways, strict parsing. */
class TilePathTest {

  @ParameterizedTest
  @CsvSource({
    "0, 000",
    "1, 001",
    "999, 999",
    "1000, x001/000",
    "455667, x455/667",
    "1000000, x001/x000/000",
    "1234067, x001/x234/067",
    "123456789, x123/x456/789",
    "999999999999999999, x999/x999/x999/x999/x999/999",
    "9223372036854775807, x009/x223/x372/x036/x854/x775/807",
  })
  void encodeIndex(long n, String encoded) {
    assertEquals(encoded, TilePath.encodeIndex(n));
  }

  @Test
  void encodeIndexRejectsNegative() {
    assertThrows(IllegalArgumentException.class, () -> TilePath.encodeIndex(-1));
  }

  @ParameterizedTest
  @CsvSource({
    "tile/0/x001/x234/067.p/8, 0, 1234067, 8",
    "tile/15/x123/x456/789.p/41, 15, 123456789, 41",
    "tile/entries/255.p/253, -1, 255, 253",
    "tile/63/001.p/255, 63, 1, 255",
    "tile/1/000.p/1, 1, 0, 1",
    "tile/entries/x999/x999/x999/x999/x999/999.p/255, -1, 999999999999999999, 255",
  })
  void pathsBothWays(String path, int level, long index, int width) {
    TilePath p = TilePath.parse(path);
    assertEquals(level, p.level());
    assertEquals(index, p.index());
    assertEquals(width, p.width());
    assertEquals(level == TilePath.ENTRIES, p.isEntryBundle());
    assertEquals(width == 256, p.isFull());
    TilePath built =
        level == TilePath.ENTRIES
            ? TilePath.entryBundle(index, width)
            : TilePath.hashTile(level, index, width);
    assertEquals(path, built.path());
    assertEquals(path, built.toString());
    assertEquals(p, built);
  }

  // Full resources print without .p/ (parsing them is covered by the disabled test below).
  @Test
  void fullPathsPrint() {
    assertEquals("tile/entries/x123/x456/789", TilePath.entryBundle(123456789, 256).path());
    assertEquals("tile/0/000", TilePath.hashTile(0, 0, 256).path());
    assertEquals("tile/5/x001/000", TilePath.hashTile(5, 1000, 256).path());
  }

  @ParameterizedTest
  @CsvSource({
    "tile/entries/x123/x456/789, -1, 123456789",
    "tile/0/000, 0, 0",
    "tile/63/x001/x234/067, 63, 1234067",
  })
  void parseFullPaths(String path, int level, long index) {
    TilePath p = TilePath.parse(path);
    assertEquals(level, p.level());
    assertEquals(index, p.index());
    assertEquals(256, p.width());
    assertTrue(p.isFull());
    assertEquals(path, p.path());
  }

  @Test
  void fullDropsThePartialSuffix() {
    TilePath partial = TilePath.parse("tile/entries/x001/000.p/7");
    assertEquals("tile/entries/x001/000", partial.full().path());
    assertTrue(partial.full().isFull());
    assertFalse(partial.isFull());
  }

  // Every form here either fails the grammar or does not round-trip (Go's tlog.ParseTilePath rule).
  @ParameterizedTest
  @ValueSource(
      strings = {
        "tile/0/x000/001", // superfluous leading group
        "tile/0/x000/000",
        "tile/0/1", // group not padded
        "tile/0/01",
        "tile/0/0001",
        "tile/0/x1/000",
        "tile/0/000.p/0", // width 0
        "tile/0/000.p/256", // full tiles never carry .p
        "tile/0/000.p/300",
        "tile/0/000.p/007", // leading zero in width
        "tile/0/000.p/",
        "tile/0/000.p",
        "tile/01/000", // leading zero in level
        "tile/64/000", // level above 63
        "tile/99/000",
        "tile/100/000",
        "tile/-1/000",
        "tile/0/000/", // trailing slash
        "tile/0/000.p/5/",
        "/tile/0/000",
        "tile/0/",
        "tile/0",
        "tile//000",
        "tile/8/0/000", // Go sumdb layout (height in path)
        "tile/entry/000",
        "tile/0/x001/00a",
        "tile/0/x001x002/000",
        "tile/0/001 ",
        " tile/0/001",
        "tile/0/\u0660\u0660\u0661", // non-ASCII digits
        "tile/0/x999/x999/x999/x999/x999/x999/x999/999", // beyond 2^63
        "",
        // The same faults on partial paths, so that the full-path bug below cannot mask them.
        "tile/0/x000/001.p/5",
        "tile/entries/x000/000.p/5",
        "tile/0/1.p/5",
        "tile/0/0001.p/5",
        "tile/01/000.p/5",
        "tile/64/000.p/5",
        "tile/0/000/.p/5",
        "tile/0/x999/x999/x999/x999/x999/x999/x999/999.p/5",
      })
  void parseRejectsNonCanonical(String path) {
    assertThrows(IllegalArgumentException.class, () -> TilePath.parse(path));
  }

  @Test
  void staticCtDataTiles() {
    assertEquals("tile/data/x001/x234/067.p/8", TilePath.dataTile(1234067, 8).path());
    assertEquals("tile/data/000", TilePath.dataTile(0, 256).path());
    assertEquals(TilePath.dataTile(1234067, 8), TilePath.parse("tile/data/x001/x234/067.p/8"));
    assertEquals(TilePath.dataTile(1000, 256), TilePath.parse("tile/data/x001/000"));
    assertEquals(TilePath.DATA, TilePath.parse("tile/data/255.p/1").level());
  }

  @Test
  void constructorsRejectBadCoordinates() {
    assertThrows(IllegalArgumentException.class, () -> TilePath.hashTile(-1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> TilePath.hashTile(64, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> TilePath.hashTile(0, -1, 1));
    assertThrows(IllegalArgumentException.class, () -> TilePath.hashTile(0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> TilePath.hashTile(0, 0, 257));
    assertThrows(IllegalArgumentException.class, () -> TilePath.entryBundle(0, 0));
  }

  @Test
  void randomRoundTripPartial() {
    randomRoundTrip(false);
  }

  @Test
  void randomRoundTripFull() {
    randomRoundTrip(true);
  }

  private static void randomRoundTrip(boolean full) {
    Random r = new Random(full ? 1 : 20240601L);
    for (int i = 0; i < 3_000; i++) {
      int level = r.nextInt(65) - 1; // -1 = entries
      // Mix small indexes (few groups) with large ones (many groups).
      long index =
          switch (r.nextInt(3)) {
            case 0 -> r.nextInt(1000);
            case 1 -> r.nextInt(Integer.MAX_VALUE);
            default -> r.nextLong() & Long.MAX_VALUE;
          };
      int width = full ? 256 : 1 + r.nextInt(255);
      TilePath p =
          level < 0 ? TilePath.entryBundle(index, width) : TilePath.hashTile(level, index, width);
      TilePath back = TilePath.parse(p.path());
      assertEquals(p, back, p.path());
      assertEquals(index, back.index());
      assertEquals(width, back.width());
    }
  }
}
