package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlogmigrate.transforms.TreeOutputs;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.Tiles;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * What a tile stage passes on ({@link TreeOutputs}), as text that compares by content: a full
 * tile's root as "parent position hex", a right-edge tile as "level hex".
 */
final class PassedOn {
  private static final HexFormat HEX = HexFormat.of();

  private PassedOn() {}

  /** Full tile {@code index}, of {@code tile}'s hashes, as the node of the level above it. */
  static String root(long index, byte[] tile) {
    byte[] root = Rfc6962.subtreeRoot(Rfc6962.sha256(), tile, 0, Tiles.WIDTH);
    return (index >>> 8) + " " + (index & 0xff) + " " + HEX.formatHex(root);
  }

  static String edge(int level, byte[] tile) {
    return level + " " + HEX.formatHex(tile);
  }

  /** Expects exactly these roots and edge tiles from the stage's output, in any order. */
  static void expect(PCollectionTuple out, List<String> roots, List<String> edges) {
    List<String> wantRoots = roots.stream().sorted().toList();
    List<String> wantEdges = edges.stream().sorted().toList();
    PAssert.that(out.get(TreeOutputs.FULL_TILE_ROOTS))
        .satisfies(
            got -> {
              List<String> s = new ArrayList<>();
              got.forEach(
                  n ->
                      s.add(
                          n.getKey()
                              + " "
                              + n.getValue().getKey()
                              + " "
                              + HEX.formatHex(n.getValue().getValue())));
              assertEquals(wantRoots, s.stream().sorted().toList());
              return null;
            });
    PAssert.that(out.get(TreeOutputs.EDGE_TILES))
        .satisfies(
            got -> {
              List<String> s = new ArrayList<>();
              got.forEach(t -> s.add(edge(t.getKey(), t.getValue())));
              assertEquals(wantEdges, s.stream().sorted().toList());
              return null;
            });
  }
}
