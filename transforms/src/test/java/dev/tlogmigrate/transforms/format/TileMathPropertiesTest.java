package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tlogmigrate.transforms.generate.TreeBuilder;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of the tile maths (c2sp.org/tlog-tiles, RFC 6962 §2.1): paths round-trip and only
 * canonical paths parse; the root from the tiles equals RFC 6962's MTH of the leaves; and a tree
 * extended the way an incremental migration extends it equals the tree built from scratch.
 */
class TileMathPropertiesTest {
  /**
   * Leaf hashes of a fixed log: leaf i = leafHash(8-byte big-endian i). Enough for three levels.
   */
  private static final int MAX_LEAVES = 70_000;

  private static final byte[][] LEAVES = new byte[MAX_LEAVES][];

  static {
    for (int i = 0; i < MAX_LEAVES; i++) {
      LEAVES[i] = Rfc6962.leafHash(ByteBuffer.allocate(8).putLong(i).array());
    }
  }

  // ---- Tile paths ----

  @Property(tries = 500)
  void tilePathsRoundTrip(
      @ForAll @IntRange(min = -1, max = Tiles.MAX_LEVEL) int level,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long index,
      @ForAll @IntRange(min = 1, max = Tiles.WIDTH) int width) {
    TilePath p =
        level == TilePath.ENTRIES
            ? TilePath.entryBundle(index, width)
            : TilePath.hashTile(level, index, width);

    TilePath parsed = TilePath.parse(p.path());

    assertEquals(p, parsed);
    assertEquals(p.path(), parsed.path());
    assertEquals(width < Tiles.WIDTH, p.path().contains(".p/"), p.path());
  }

  /** Ways to write a tile path that Go's tlog would not: each must be refused. */
  private static final List<UnaryOperator<String>> NON_CANONICAL =
      List.of(
          p ->
              p.replaceFirst(
                  "^tile/(entries|[0-9]+)/", "tile/$1/x000/"), // superfluous leading group
          p ->
              p.replaceFirst(
                  "^tile/([0-9]+)/",
                  "tile/0$1/"), // level with a leading zero (bundles: untouched, see below)
          p ->
              p.contains(".p/")
                  ? p.replaceFirst("\\.p/", ".p/0")
                  : p + ".p/256", // width 0W, or a full tile as .p/256
          p -> p.contains(".p/") ? p.replaceFirst("\\.p/[0-9]+$", ".p/0") : p + ".p/0",
          p -> p + "/",
          p -> "/" + p,
          p -> p.replaceFirst("/([0-9]{3})(\\.p|$)", "/$1$1$2"), // a last group of six digits
          p -> p.replaceFirst("/([0-9]{2})[0-9](\\.p|$)", "/$1$2"), // a last group of two digits
          p -> p.contains("/x") ? p.replaceFirst("/x", "/X") : p.replace("tile/", "Tile/"),
          p -> p.contains("/x") ? p.replaceFirst("/x", "/") : p.replace("tile/", "tiles/"),
          p -> p.replace("tile/entries/", "tile/entry/").replaceFirst("^tile/[0-9]+/", "tile/64/"),
          p -> p.replace('/', '\\'),
          p -> p + "\n");

  @Property(tries = 500)
  void nonCanonicalPathsAreRefused(
      @ForAll @IntRange(min = -1, max = Tiles.MAX_LEVEL) int level,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 1000) long index,
      @ForAll @IntRange(min = 1, max = Tiles.WIDTH) int width,
      @ForAll @IntRange(min = 0, max = 12) int mutation) {
    String canonical =
        (level == TilePath.ENTRIES
                ? TilePath.entryBundle(index, width)
                : TilePath.hashTile(level, index, width))
            .path();
    String mutated = NON_CANONICAL.get(mutation).apply(canonical);
    if (mutated.equals(canonical)) {
      return; // that way of breaking it does not apply to this path (e.g. a level prefix on a
      // bundle)
    }

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TilePath.parse(mutated), mutated);
    assertNotNull(e.getMessage());
  }

  @Property(tries = 1000)
  void randomEditsOfAPathAreRefusedUnlessCanonical(@ForAll("editedPaths") String path) {
    ParserContracts.tilePath(path);
  }

  @Provide
  Arbitrary<String> editedPaths() {
    Arbitrary<String> canonical =
        Combinators.combine(
                Arbitraries.integers().between(-1, Tiles.MAX_LEVEL),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.integers().between(1, Tiles.WIDTH))
            .as(
                (l, i, w) ->
                    (l == -1 ? TilePath.entryBundle(i, w) : TilePath.hashTile(l, i, w)).path());
    Arbitrary<Character> chars =
        Arbitraries.of('0', '1', '9', 'x', '/', '.', 'p', 'e', '-', '+', ' ', 'X');
    return Combinators.combine(
            canonical,
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 1000),
            chars)
        .as(
            (p, op, at, c) -> {
              int pos = at % (p.length() + 1);
              return switch (op) {
                case 0 -> p.substring(0, pos) + c + p.substring(pos); // insert
                case 1 ->
                    pos < p.length() ? p.substring(0, pos) + p.substring(pos + 1) : p; // delete
                default ->
                    pos < p.length()
                        ? p.substring(0, pos) + c + p.substring(pos + 1)
                        : p; // replace
              };
            });
  }

  // ---- Roots ----

  @Property(tries = 60)
  void rootFromTheTilesIsTheMerkleTreeHash(@ForAll("smallSizes") int size) {
    TreeBuilder builder = build(size, null);

    assertArrayEquals(TestData.mth(leaves(0, size)), builder.edge().root(), "size " + size);
  }

  @Property(tries = 4)
  void rootFromTheTilesIsTheMerkleTreeHashWithThreeLevels(
      @ForAll @IntRange(min = 65_536, max = 70_000) int size) {
    // Level 2 only starts at 65536 leaves; the slow MTH of that many is slow, so only a few tries.
    assertArrayEquals(
        TestData.mth(leaves(0, size)), build(size, null).edge().root(), "size " + size);
  }

  @Property(tries = 30)
  void everyFullTileHoldsTheHashesOfItsSubtrees(@ForAll("smallSizes") int size) {
    Map<TilePath, byte[]> tiles = new HashMap<>();
    TreeBuilder builder = build(size, tiles);

    for (Map.Entry<TilePath, byte[]> t : tiles.entrySet()) {
      TilePath p = t.getKey();
      assertEquals(Tiles.FULL_TILE_BYTES, t.getValue().length, p.path());
      long span = 1L << (Tiles.HEIGHT * p.level()); // leaves under each hash of the tile
      for (int j = 0; j < Tiles.WIDTH; j++) {
        int first = (int) ((p.index() * Tiles.WIDTH + j) * span);
        byte[] want = TestData.mth(leaves(first, (int) (first + span)));
        assertArrayEquals(
            want, Arrays.copyOfRange(t.getValue(), j * 32, j * 32 + 32), p.path() + " hash " + j);
      }
    }
    // Exactly the full tiles of the tree: floor(size / 256^(L+1)) at each level.
    for (int level = 0; level <= Math.max(0, Tiles.topLevel(size)); level++) {
      int l = level;
      long full = tiles.keySet().stream().filter(p -> p.level() == l).count();
      assertEquals(Tiles.nodesAt(size, level) / Tiles.WIDTH, full, "full tiles at level " + level);
    }
    // And the edge holds the right-edge partials with the widths tlog-tiles gives.
    TreeEdge edge = builder.edge();
    for (int level = 0; level <= Tiles.MAX_LEVEL; level++) {
      byte[] tile = edge.tile(level);
      assertEquals(
          Tiles.edgeWidth(size, level) * 32,
          tile == null ? 0 : tile.length,
          "edge width at level " + level);
    }
  }

  // ---- Incremental = from scratch ----

  @Property(tries = 60)
  void extendingACommittedTreeGivesTheTreeBuiltFromScratch(
      @ForAll("sizePairs") Tuple2<Integer, Integer> sizes) {
    int m = sizes.get1();
    int n = sizes.get2();
    Map<TilePath, byte[]> scratchTiles = new HashMap<>();
    TreeBuilder builder = build(m, scratchTiles);
    TreeEdge prior = builder.edge();
    for (int i = m; i < n; i++) {
      builder.appendLeafHash(LEAVES[i]);
    }
    TreeEdge scratch = builder.edge();

    Map<TilePath, byte[]> written = new TreeMap<>((a, b) -> a.path().compareTo(b.path()));
    TreeEdge extended = extend(prior, m, n, written);

    assertArrayEquals(scratch.root(), extended.root(), m + " -> " + n);
    for (int level = 0; level <= Tiles.MAX_LEVEL; level++) {
      assertArrayEquals(
          scratch.tile(level),
          extended.tile(level),
          m + " -> " + n + ": edge tile at level " + level);
    }
    // Every full tile the run wrote is the one the scratch build has at that place.
    for (Map.Entry<TilePath, byte[]> t : written.entrySet()) {
      if (t.getKey().isFull()) {
        assertArrayEquals(
            scratchTiles.get(t.getKey()), t.getValue(), m + " -> " + n + ": " + t.getKey());
      }
    }
    if (n <= 5000) {
      assertArrayEquals(TestData.mth(leaves(0, n)), extended.root());
    }
  }

  /**
   * What a run from committed size m to n computes, as the pipeline's stages do: every bundle from
   * the one holding leaf m is hashed again from its entries (MigrateBundleFn); the roots of the
   * full level-(L-1) tiles this run produced are grouped by parent tile and each level-L tile is
   * put together by {@link TileAssembly}, as BuildTileLevelFn does; and the new edge is {@link
   * TreeEdge#extendedTo}, as CommitTreeStateFn computes it.
   */
  private static TreeEdge extend(TreeEdge prior, int m, int n, Map<TilePath, byte[]> written) {
    MessageDigest md = Rfc6962.sha256();
    Map<Integer, Map<Long, byte[]>> produced = new HashMap<>();

    Map<Long, byte[]> level0 = new TreeMap<>();
    for (long bundle = m / Tiles.WIDTH; bundle < Tiles.bundleCount(n); bundle++) {
      int width = Tiles.bundleWidth(n, bundle);
      byte[] tile = new byte[width * 32];
      for (int j = 0; j < width; j++) {
        System.arraycopy(LEAVES[(int) (bundle * Tiles.WIDTH + j)], 0, tile, j * 32, 32);
      }
      level0.put(bundle, tile);
      written.put(TilePath.hashTile(0, bundle, width), tile);
    }
    produced.put(0, level0);

    for (int level = 1; level <= Tiles.topLevel(n); level++) {
      // Group the roots of the full tiles below by parent tile, as the pipeline's GroupByKey does.
      Map<Long, Map<Integer, byte[]>> groups = new TreeMap<>();
      for (Map.Entry<Long, byte[]> child : produced.get(level - 1).entrySet()) {
        if (child.getValue().length == Tiles.FULL_TILE_BYTES) {
          groups
              .computeIfAbsent(child.getKey() / Tiles.WIDTH, k -> new TreeMap<>())
              .put(
                  (int) (child.getKey() % Tiles.WIDTH),
                  Rfc6962.subtreeRoot(md, child.getValue(), 0, Tiles.WIDTH));
        }
      }
      Map<Long, byte[]> tiles = new TreeMap<>();
      for (Map.Entry<Long, Map<Integer, byte[]>> g : groups.entrySet()) {
        TileAssembly tile = TileAssembly.start(level, g.getKey(), prior, n);
        g.getValue().forEach(tile::add);
        byte[] bytes = tile.finish();
        tiles.put(g.getKey(), bytes);
        written.put(tile.path(), bytes);
      }
      produced.put(level, tiles);
    }

    Map<Integer, byte[]> edgeTiles = new HashMap<>();
    produced.forEach((level, tiles) -> edgeTiles.put(level, tiles.get(Tiles.edgeIndex(n, level))));
    return prior.extendedTo(n, edgeTiles::get);
  }

  // ---- Generators and helpers ----

  /** Sizes up to a few tiles, crowding the tile boundaries where off-by-ones live. */
  @Provide
  Arbitrary<Integer> smallSizes() {
    Arbitrary<Integer> nearBoundary =
        Combinators.combine(
                Arbitraries.integers().between(0, 8), Arbitraries.integers().between(-2, 2))
            .as((k, d) -> Math.max(0, k * Tiles.WIDTH + d));
    return Arbitraries.oneOf(Arbitraries.integers().between(0, 2100), nearBoundary);
  }

  /** (m, n) with 0 <= m < n, up to three levels, mostly small, often right at a tile boundary. */
  @Provide
  Arbitrary<Tuple2<Integer, Integer>> sizePairs() {
    Arbitrary<Integer> size =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.integers().between(0, MAX_LEAVES)),
            Tuple.of(4, Arbitraries.integers().between(0, 3000)),
            Tuple.of(
                3,
                Combinators.combine(
                        Arbitraries.integers().between(0, 1),
                        Arbitraries.integers().between(0, 255),
                        Arbitraries.integers().between(-1, 1))
                    .as(
                        (a, b, d) ->
                            Math.max(0, Math.min(MAX_LEAVES, a * 65_536 + b * Tiles.WIDTH + d)))));
    return Combinators.combine(size, size)
        .as((a, b) -> Tuple.of(Math.min(a, b), Math.max(a, b)))
        .filter(t -> t.get1() < t.get2());
  }

  private static TreeBuilder build(int size, Map<TilePath, byte[]> tiles) {
    TreeBuilder b =
        new TreeBuilder(
            (path, tile) -> {
              if (tiles != null) {
                tiles.put(path, tile);
              }
            });
    for (int i = 0; i < size; i++) {
      b.appendLeafHash(LEAVES[i]);
    }
    return b;
  }

  private static List<byte[]> leaves(int from, int to) {
    return new ArrayList<>(Arrays.asList(LEAVES).subList(from, to));
  }
}
