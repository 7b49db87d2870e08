package dev.tlogmigrate.transforms.format;

import static dev.tlogmigrate.transforms.format.TestData.mth;
import static dev.tlogmigrate.transforms.format.TestData.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.generate.TreeBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TreeBuilder / TreeEdge roots and tiles against an independent, deliberately slow RFC 6962 MTH
 * written here from the definition (RFC 6962 §2.1; the right-edge tiles of c2sp.org/tlog-tiles), on
 * synthetic entries: entry i = ASCII i.
 */
class TreeRootTest {
  private static final int MAX = 70_000;

  /** Leaf hashes of the synthetic log, computed without the main code. */
  private static final List<byte[]> LEAVES = syntheticLeaves(MAX);

  @ParameterizedTest
  @CsvSource({
    "256, goUV0DPBnYyQHzfsy4rtkZZncDSG+NL/8c9wQDIcXbE=",
    "300, hOE+weA3FVrmGXV1mbLNIa2lpWXg/ZsxOcDDxsG4rak=",
    "65536, 8CXQbtgEhZ/SdKG9rK3W5I6odjSqkeHtsgFD+UmM0Cs=",
    "70000, Gkzfy2Y3SgwNy+9JrL1JdtE+6GT7PLJB/JQ8rQTwL34=",
  })
  void syntheticRoots(int n, String root) {
    assertEquals(root, b64(mth(LEAVES.subList(0, n))), "slow MTH");
    assertEquals(root, b64(build(n, null).edge().root()), "TreeBuilder edge");
  }

  // Every size 0..600 (all partial widths, 1 and 2 levels) on one incrementally grown builder.
  @Test
  void edgeRootMatchesSlowMthForSmallSizes() {
    TreeBuilder b = new TreeBuilder((p, t) -> {});
    for (int n = 0; n <= 600; n++) {
      assertEquals(n, b.size());
      assertArrayEquals(mth(LEAVES.subList(0, n)), b.edge().root(), "size " + n);
      b.appendLeafHash(LEAVES.get(n));
    }
  }

  @Test
  void edgeRootMatchesSlowMthForRandomLargerSizes() {
    Random r = new Random(42);
    TreeSet<Integer> sizes = new TreeSet<>(List.of(65535, 65536, 65537, 66048, MAX));
    while (sizes.size() < 9) {
      sizes.add(601 + r.nextInt(MAX - 601));
    }
    TreeBuilder b = new TreeBuilder((p, t) -> {});
    for (int n : sizes) {
      while (b.size() < n) {
        b.appendLeafHash(LEAVES.get((int) b.size()));
      }
      assertArrayEquals(mth(LEAVES.subList(0, n)), b.edge().root(), "size " + n);
    }
  }

  // Every full tile the builder emits for size 70000, and its right-edge tiles, from first
  // principles.
  @Test
  void tilesOfSize70000() {
    Map<String, byte[]> emitted = new LinkedHashMap<>();
    TreeEdge edge =
        build(MAX, (p, t) -> assertNull(emitted.put(p.path(), t), "twice: " + p)).edge();

    List<String> wantOrder = new ArrayList<>();
    for (int n = 0; n < 273; n++) {
      wantOrder.add(TilePath.hashTile(0, n, 256).path());
      if (n == 255) {
        wantOrder.add("tile/1/000"); // completes with level-0 tile 255
      }
    }
    assertEquals(wantOrder, new ArrayList<>(emitted.keySet()));

    for (int n = 0; n < 273; n++) {
      assertArrayEquals(
          concat(LEAVES.subList(n * 256, n * 256 + 256)),
          emitted.get(TilePath.hashTile(0, n, 256).path()),
          "level-0 tile " + n);
    }
    assertArrayEquals(level1Entries(0, 256), emitted.get("tile/1/000"));

    assertArrayEquals(concat(LEAVES.subList(273 * 256, MAX)), edge.tile(0), "tile/0/273.p/112");
    assertArrayEquals(level1Entries(256, 17), edge.tile(1), "tile/1/001.p/17");
    assertArrayEquals(mth(LEAVES.subList(0, 65536)), edge.tile(2), "tile/2/000.p/1");
    assertNull(edge.tile(3));
    assertEquals(MAX, edge.size());
  }

  // TreeEdge.of from tiles computed here (as read from a source log) gives the same root.
  @Test
  void edgeFromExternalTiles() {
    byte[][] tiles = {
      concat(LEAVES.subList(273 * 256, MAX)), level1Entries(256, 17), mth(LEAVES.subList(0, 65536)),
    };
    TreeEdge edge = TreeEdge.of(MAX, level -> tiles[level]);
    assertEquals("Gkzfy2Y3SgwNy+9JrL1JdtE+6GT7PLJB/JQ8rQTwL34=", b64(edge.root()));
  }

  @Test
  void edgeOfRejectsMissingOrWrongSizedTiles() {
    InvalidLogException missing =
        assertThrows(InvalidLogException.class, () -> TreeEdge.of(300, level -> null));
    assertTrue(missing.getMessage().contains("tile/"), missing.getMessage());
    InvalidLogException wrong =
        assertThrows(InvalidLogException.class, () -> TreeEdge.of(300, level -> new byte[33]));
    assertTrue(wrong.getMessage().contains("tile/0/001.p/44"), wrong.getMessage());
    // Size 256 has no level-0 edge tile: the function must not even be asked for it.
    TreeEdge e =
        TreeEdge.of(
            256,
            level -> {
              assertEquals(1, level);
              return mth(LEAVES.subList(0, 256));
            });
    assertNull(e.tile(0));
  }

  private static byte[] level1Entries(int firstTile, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int j = firstTile; j < firstTile + count; j++) {
      out.writeBytes(mth(LEAVES.subList(j * 256, j * 256 + 256)));
    }
    return out.toByteArray();
  }

  private static TreeBuilder build(int n, TreeBuilder.TileSink sink) {
    TreeBuilder b = new TreeBuilder(sink == null ? (p, t) -> {} : sink);
    for (int i = 0; i < n; i++) {
      b.appendLeafHash(LEAVES.get(i));
    }
    return b;
  }

  private static List<byte[]> syntheticLeaves(int n) {
    MessageDigest md = sha256();
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      md.update((byte) 0);
      md.update(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
      out.add(md.digest());
    }
    return out;
  }

  private static byte[] concat(List<byte[]> hashes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    hashes.forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
