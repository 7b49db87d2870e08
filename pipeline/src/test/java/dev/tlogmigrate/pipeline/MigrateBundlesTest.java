package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.MigrateBundles;
import dev.tlogmigrate.transforms.MigrationMetrics;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.TreeOutputs;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeEdge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MigrateBundles on the DirectRunner between two directories: every bundle from the committed edge
 * bundle to the checkpoint's size is fetched, written with its level-0 hash tile, and passed on as
 * hashes exactly once, however the run is cut into ranges: the root of each full tile as a node of
 * level 1, the right-edge tile as it is.
 */
class MigrateBundlesTest {
  @TempDir Path source;
  @TempDir Path destination;

  @Test
  void migratesEveryBundleOnceAndPassesOnOnlyHashes() throws IOException {
    long size = 40L * Tiles.WIDTH + 5; // 41 bundles, in 21 ranges of up to 2 on the DirectRunner
    TestLog log = TestLog.write(source, size);

    PipelineResult result = Pipelines.run(p -> expect(p, spec(size, TreeEdge.empty()), log, 0, 41));

    assertEquals(41, Pipelines.counter(result, MigrationMetrics.BUNDLES));
    assertEquals(size, Pipelines.counter(result, MigrationMetrics.ENTRIES));
    assertEquals(levelZero(log.hashTiles), Pipelines.hex(TestLog.hashTilesIn(destination)));
    List<String> bundles = new ArrayList<>();
    for (long b = 0; b < 41; b++) {
      bundles.add(LogFormat.TLOG_TILES.tilePath(b, Tiles.bundleWidth(size, b)).path());
    }
    TestLog.assertSameFiles(source, destination, bundles);
  }

  @Test
  void anIncrementalRunStartsAtTheCommittedEdgeBundle() throws IOException {
    TestLog committed = TestLog.write(source, 300); // bundles 000 and 001.p/44
    Path edgeBundle = destination.resolve("tile/entries/001.p/44");
    Files.createDirectories(edgeBundle.getParent());
    Files.copy(source.resolve("tile/entries/001.p/44"), edgeBundle);
    TestLog log = TestLog.write(source, 700); // bundles 000, 001 and 002.p/188

    Pipelines.run(p -> expect(p, spec(700, committed.edge), log, 1, 3));

    assertFalse(Files.exists(destination.resolve("tile/entries/000")), "a committed bundle");
    assertFalse(Files.exists(destination.resolve("tile/0/000")), "a committed hash tile");
    assertTrue(Files.exists(destination.resolve("tile/entries/001")));
    assertTrue(Files.exists(destination.resolve("tile/entries/002.p/188")));
  }

  @Test
  void aBundleMissingFromTheSourceFailsTheRunNamingIt() throws IOException {
    long size = 4L * Tiles.WIDTH;
    TestLog.write(source, size);
    Files.delete(source.resolve("tile/entries/002"));

    Throwable failure =
        Pipelines.failure(
            p -> p.apply("MigrateBundles", new MigrateBundles(spec(size, TreeEdge.empty()))));

    assertTrue(failure instanceof InvalidLogException, String.valueOf(failure));
    assertEquals(
        source.resolve("tile/entries/002") + ": entry tile 2 is missing from the source",
        failure.getMessage());
  }

  /**
   * Applies MigrateBundles and expects bundles {@code from} to {@code to} of {@code log} passed on:
   * each full one as its tile's root, the last one, if partial, as its hash tile; no issuers.
   */
  private static void expect(Pipeline p, MigrationSpec spec, TestLog log, long from, long to) {
    long size = spec.treeSize();
    List<String> roots = new ArrayList<>();
    List<String> edges = new ArrayList<>();
    for (long b = from; b < to; b++) {
      int width = Tiles.bundleWidth(size, b);
      byte[] tile = log.hashTiles.get(TilePath.hashTile(0, b, width).path());
      if (width == Tiles.WIDTH) {
        roots.add(PassedOn.root(b, tile));
      } else {
        edges.add(PassedOn.edge(0, tile));
      }
    }
    PCollectionTuple out = p.apply("MigrateBundles", new MigrateBundles(spec));
    PassedOn.expect(out, roots, edges);
    PAssert.that(out.get(TreeOutputs.ISSUER_REFERENCES)).empty();
  }

  /** The level-0 hash tiles among {@code tiles}, as hex. */
  private static Map<String, String> levelZero(Map<String, byte[]> tiles) {
    Map<String, byte[]> zero = new TreeMap<>(tiles);
    zero.keySet().removeIf(path -> !path.startsWith("tile/0/"));
    return Pipelines.hex(zero);
  }

  private MigrationSpec spec(long size, TreeEdge prior) {
    return Pipelines.spec(source, destination, size, prior);
  }
}
