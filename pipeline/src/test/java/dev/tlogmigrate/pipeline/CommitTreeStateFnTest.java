package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.CommitTreeStateFn;
import dev.tlogmigrate.transforms.MigrationMetrics;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.LogLayout;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.location.LogLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CommitTreeStateFn on the DirectRunner, as the final stage of a run whose tile stages have written
 * every hash tile to a directory: the root of the tree the edge tiles and the committed edge make
 * must be the checkpoint's before anything is committed; an audit reports the root it rebuilt and
 * commits nothing.
 */
class CommitTreeStateFnTest {
  @TempDir Path source;
  @TempDir Path destination;

  @Test
  void commitsTheTreeWhoseRootIsTheCheckpoints() throws IOException {
    TestLog log = TestLog.write(source, 700); // edge tiles at levels 0 and 1
    tilesWritten(log);
    MigrationSpec spec = spec(log, 700, log.edge.root(), TreeEdge.empty());

    Pipelines.run(
        p ->
            PAssert.that(commit(p, spec, edgeTiles(log.edge, 0, 1)))
                .containsInAnyOrder(new TreeState(700, log.edge.root())));

    assertEquals(new TreeState(700, log.edge.root()), committedState());
    assertArrayEquals(log.checkpoint, Files.readAllBytes(destination.resolve("checkpoint")));
  }

  @Test
  void takesTheCommittedEdgeTileOfALevelTheRunDidNotRebuild() throws IOException {
    TestLog committed = TestLog.write(source, 300);
    TestLog log = TestLog.write(source, 400); // tile/1/000.p/1 at both sizes
    tilesWritten(log);
    Files.createDirectories(destination.resolve(".state"));
    Files.write(
        destination.resolve(LogLayout.TREE_STATE),
        new TreeState(300, committed.edge.root()).toJson());
    MigrationSpec spec = spec(log, 400, log.edge.root(), committed.edge);

    Pipelines.run(
        p ->
            PAssert.that(commit(p, spec, edgeTiles(log.edge, 0)))
                .containsInAnyOrder(new TreeState(400, log.edge.root())));

    assertEquals(new TreeState(400, log.edge.root()), committedState());
  }

  @Test
  void aRootThatIsNotTheCheckpointsCommitsNothing() throws IOException {
    TestLog log = TestLog.write(source, 700);
    tilesWritten(log);
    byte[] other = Rfc6962.sha256().digest("another tree".getBytes(StandardCharsets.US_ASCII));
    MigrationSpec spec = spec(log, 700, other, TreeEdge.empty());

    Throwable failure = Pipelines.failure(p -> commit(p, spec, edgeTiles(log.edge, 0, 1)));

    assertTrue(failure instanceof InvalidLogException, String.valueOf(failure));
    assertEquals(
        source.resolve("checkpoint")
            + ": root mismatch at tree size 700: the source's entries hash to "
            + b64(log.edge.root())
            + " but its checkpoint says "
            + b64(other)
            + "; nothing committed",
        failure.getMessage());
    assertNothingCommitted();
  }

  @Test
  void twoEdgeTilesAtOneLevelFailTheRun() throws IOException {
    TestLog log = TestLog.write(source, 700);
    tilesWritten(log);
    MigrationSpec spec = spec(log, 700, log.edge.root(), TreeEdge.empty());
    List<KV<Integer, byte[]>> twice = edgeTiles(log.edge, 0, 1, 0);

    Throwable failure = Pipelines.failure(p -> commit(p, spec, twice));

    assertEquals("two right-edge tiles at level 0", failure.getMessage());
    assertNothingCommitted();
  }

  @Test
  void anAuditOutputsTheTreeItRebuiltAndReportsAWrongRootWithoutCommitting() throws IOException {
    TestLog log = TestLog.write(source, 700);
    byte[] other = Rfc6962.sha256().digest("another tree".getBytes(StandardCharsets.US_ASCII));
    MigrationSpec audit =
        MigrationSpec.create(
                LogLocation.of(source.toString()),
                LogLocation.discard(),
                LogFormat.TLOG_TILES,
                700,
                other,
                log.checkpoint,
                TreeEdge.empty())
            .asVerification();

    PipelineResult result =
        Pipelines.run(
            p ->
                PAssert.that(commit(p, audit, edgeTiles(log.edge, 0, 1)))
                    .containsInAnyOrder(new TreeState(700, log.edge.root())));

    Set<String> mismatches = Pipelines.stringSet(result, MigrationMetrics.MISMATCHES);
    assertEquals(1, mismatches.size(), mismatches.toString());
    assertTrue(
        mismatches
            .iterator()
            .next()
            .startsWith(MigrationMetrics.ROOT_MISMATCH + " at tree size 700: "),
        mismatches.toString());
  }

  /** The final stage alone: one element in, the edge tiles as its side input. */
  private static PCollection<TreeState> commit(
      Pipeline p, MigrationSpec spec, List<KV<Integer, byte[]>> edgeTiles) {
    PCollectionView<List<KV<Integer, byte[]>>> edges =
        p.apply(
                "EdgeTiles",
                Create.of(edgeTiles).withCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of())))
            .apply(View.asList());
    return p.apply("Once", Create.of(spec.treeSize()))
        .apply(
            "VerifyRootAndCommit",
            ParDo.of(new CommitTreeStateFn(spec, edges, null)).withSideInputs(edges));
  }

  /** The edge tiles of {@code edge} at the levels given, as the tile stages pass them on. */
  private static List<KV<Integer, byte[]>> edgeTiles(TreeEdge edge, int... levels) {
    List<KV<Integer, byte[]>> tiles = new ArrayList<>();
    for (int level : levels) {
      tiles.add(KV.of(level, edge.tile(level)));
    }
    return tiles;
  }

  /** Every hash tile of the log in the destination, as the tile stages leave it. */
  private void tilesWritten(TestLog log) throws IOException {
    for (Map.Entry<String, byte[]> tile : log.hashTiles.entrySet()) {
      Path file = destination.resolve(tile.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, tile.getValue());
    }
  }

  private MigrationSpec spec(TestLog log, long size, byte[] root, TreeEdge prior) {
    return MigrationSpec.create(
        LogLocation.of(source.toString()),
        LogLocation.of(destination.toString()),
        LogFormat.TLOG_TILES,
        size,
        root,
        log.checkpoint,
        prior);
  }

  private TreeState committedState() throws IOException {
    Path state = destination.resolve(LogLayout.TREE_STATE);
    return TreeState.parse(state.toString(), Files.readAllBytes(state));
  }

  private void assertNothingCommitted() {
    assertFalse(Files.exists(destination.resolve(LogLayout.TREE_STATE)));
    assertFalse(Files.exists(destination.resolve(LogLayout.CHECKPOINT)));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
