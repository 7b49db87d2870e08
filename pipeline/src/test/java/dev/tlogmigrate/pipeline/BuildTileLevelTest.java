package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tlogmigrate.transforms.BuildTileLevel;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeEdge;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BuildTileLevel on the DirectRunner, writing to a directory: level-1 tiles from the roots of the
 * level-0 tiles beneath them, and, in an incremental run, from the committed edge tile too. A node
 * given twice or missing fails the run and writes no tile.
 */
class BuildTileLevelTest {
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path source;
  @TempDir Path destination;

  @Test
  void buildsTheFullTilesAndTheEdgeTileOfALevel() {
    // 258 level-1 nodes: tile/1/000 is full, tile/1/001.p/2 the right edge
    long size = 258L * Tiles.WIDTH + 5;
    List<KV<Long, KV<Integer, byte[]>>> nodes = nodes(0, 258);

    Pipelines.run(p -> build(p, spec(size, TreeEdge.empty()), nodes));

    assertEquals(HEX.formatHex(tile(0, 256)), read("tile/1/000"));
    assertEquals(HEX.formatHex(tile(256, 258)), read("tile/1/001.p/2"));
  }

  @Test
  void startsTheFirstTileFromTheCommittedEdgeTile() {
    // committed: 768 leaves, so the edge tile/1/000.p/3; now 7 level-1 nodes, this run gives 3..6
    TreeEdge prior = TreeEdge.of(768, level -> level == 1 ? tile(0, 3) : null);
    long size = 7L * Tiles.WIDTH + 10;

    Pipelines.run(p -> build(p, spec(size, prior), nodes(3, 7)));

    assertEquals(HEX.formatHex(tile(0, 7)), read("tile/1/000.p/7"));
  }

  @Test
  void aNodeGivenTwiceFailsTheRunAndWritesNoTile() {
    TreeEdge prior = TreeEdge.of(768, level -> level == 1 ? tile(0, 3) : null);
    List<KV<Long, KV<Integer, byte[]>>> nodes = new ArrayList<>(nodes(2, 7)); // 2 is committed

    Throwable failure = Pipelines.failure(p -> build(p, spec(7L * Tiles.WIDTH, prior), nodes));

    assertEquals("tile tile/1/000 got node 2 twice", failure.getMessage());
    assertFalse(Files.exists(destination.resolve("tile/1/000.p/7")));
  }

  @Test
  void aMissingNodeFailsTheRunAndWritesNoTile() {
    List<KV<Long, KV<Integer, byte[]>>> nodes = new ArrayList<>(nodes(0, 7));
    nodes.remove(5);

    Throwable failure =
        Pipelines.failure(p -> build(p, spec(7L * Tiles.WIDTH, TreeEdge.empty()), nodes));

    assertEquals(
        "tile tile/1/000 of tree size 1792 has 6 nodes, want the first 7 (node 5 is missing)",
        failure.getMessage());
    assertFalse(Files.exists(destination.resolve("tile/1/000.p/7")));
  }

  /**
   * Applies BuildTileLevel at level 1 to {@code nodes} and checks what it passes on: the root of
   * each full tile as a node of level 2, the edge tile as it is.
   */
  private static void build(
      Pipeline p, MigrationSpec spec, List<KV<Long, KV<Integer, byte[]>>> nodes) {
    long size = spec.treeSize();
    long last = Tiles.nodesAt(size, 1);
    List<String> roots = new ArrayList<>();
    List<String> edges = new ArrayList<>();
    for (long t : nodes.stream().map(KV::getKey).distinct().sorted().toList()) {
      byte[] tile = tile(t * Tiles.WIDTH, Math.min(last, (t + 1) * Tiles.WIDTH));
      if (tile.length == Tiles.FULL_TILE_BYTES) {
        roots.add(PassedOn.root(t, tile));
      } else {
        edges.add(PassedOn.edge(1, tile));
      }
    }
    PCollectionTuple out =
        p.apply(
                Create.of(nodes)
                    .withCoder(
                        KvCoder.of(
                            VarLongCoder.of(), KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))))
            .apply(new BuildTileLevel(spec, 1));
    PassedOn.expect(out, roots, edges);
  }

  private MigrationSpec spec(long size, TreeEdge prior) {
    return Pipelines.spec(source, destination, size, prior);
  }

  /**
   * The level-1 nodes {@code from} to {@code to}, keyed by their tile as the level below emits
   * them.
   */
  private static List<KV<Long, KV<Integer, byte[]>>> nodes(long from, long to) {
    List<KV<Long, KV<Integer, byte[]>>> nodes = new ArrayList<>();
    for (long n = from; n < to; n++) {
      nodes.add(KV.of(n / Tiles.WIDTH, KV.of((int) (n % Tiles.WIDTH), node(n))));
    }
    return nodes;
  }

  /** Level-1 node n of the test tree: any 32 bytes do. */
  private static byte[] node(long n) {
    return Rfc6962.sha256().digest(("node " + n).getBytes(StandardCharsets.US_ASCII));
  }

  /** Nodes {@code from} to {@code to}, concatenated: a tile's bytes. */
  private static byte[] tile(long from, long to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long n = from; n < to; n++) {
      out.writeBytes(node(n));
    }
    return out.toByteArray();
  }

  private String read(String path) {
    try {
      return HEX.formatHex(Files.readAllBytes(destination.resolve(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
