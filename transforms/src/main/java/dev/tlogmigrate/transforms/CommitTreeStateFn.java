package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.TreeEdgeReader;
import dev.tlogmigrate.transforms.tessera.TesseraSpannerState;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The final, singleton stage. Runs once every tile stage has finished (the edge tiles come from all
 * of them), computes the root of the rebuilt tree, and only if it equals the verified checkpoint's
 * root commits: {@code .state/version}, then {@code .state/treeState}, then the checkpoint.
 */
public class CommitTreeStateFn extends DoFn<Long, TreeState> {
  public static final String VERSION_PATH = ".state/version";
  public static final String TREE_STATE_PATH = ".state/treeState";
  public static final String CHECKPOINT_PATH = "checkpoint";
  private static final byte[] VERSION = {'1'};

  private final MigrationSpec spec;
  private final PCollectionView<List<KV<Integer, byte[]>>> edgeTiles;
  private final PCollectionView<Long> issuersCopied;
  private final SourceTileCheck rootCheck = new SourceTileCheck();

  /**
   * @param issuersCopied for static-ct logs, the number of issuers copied: reading it makes the
   *     commit wait until every issuer is in place; null for tlog-tiles
   */
  public CommitTreeStateFn(
      MigrationSpec spec,
      PCollectionView<List<KV<Integer, byte[]>>> edgeTiles,
      PCollectionView<Long> issuersCopied) {
    this.spec = spec;
    this.edgeTiles = edgeTiles;
    this.issuersCopied = issuersCopied;
  }

  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    if (issuersCopied != null) {
      c.sideInput(issuersCopied);
    }
    Map<Integer, byte[]> produced = new HashMap<>();
    for (KV<Integer, byte[]> t : c.sideInput(edgeTiles)) {
      if (produced.put(t.getKey(), t.getValue()) != null) {
        throw new IllegalStateException("two right-edge tiles at level " + t.getKey());
      }
    }
    long size = spec.treeSize();
    long start = spec.startSize();
    TreeEdge edge =
        TreeEdge.of(
            size,
            level -> {
              byte[] tile = produced.get(level);
              // A level this run did not touch keeps the destination's edge tile, if it is still
              // the edge.
              boolean unchanged =
                  Tiles.edgeIndex(start, level) == Tiles.edgeIndex(size, level)
                      && Tiles.edgeWidth(start, level) == Tiles.edgeWidth(size, level);
              return tile != null ? tile : unchanged ? spec.prior().tile(level) : null;
            });
    byte[] root = edge.root();
    if (spec.verifyOnly()) {
      // An audit lists what it finds, the root among it, and commits nothing.
      rootCheck.report(
          Arrays.equals(root, spec.root())
              ? null
              : MigrationMetrics.ROOT_MISMATCH
                  + " at tree size "
                  + size
                  + ": the source's entries hash to "
                  + b64(root)
                  + " but its checkpoint says "
                  + b64(spec.root()));
      c.output(new TreeState(size, root));
      return;
    }
    if (!Arrays.equals(root, spec.root())) {
      throw new InvalidLogException(
          "root mismatch at tree size "
              + size
              + ": the source's entries hash to "
              + b64(root)
              + " but its checkpoint says "
              + b64(spec.root())
              + "; nothing committed");
    }
    TreeState verified = new TreeState(size, root);
    // Tessera's GCP appender continues from Spanner's IntCoord, not from .state/treeState: that
    // transaction is the commit point, so it comes first, once the root has verified. A run that
    // dies after it and before the tree state or the checkpoint is finished by the next run: the
    // planner finds IntCoord at the source's size and writes what is missing (MigrationPlanner).
    if (spec.tesseraSpanner() != null) {
      TesseraSpannerState.commit(spec.tesseraSpanner(), spec.tesseraSpannerFrom(), verified);
    }
    c.output(commit(verified));
  }

  private TreeState commit(TreeState state) throws IOException {
    try (LogStorage destination = spec.destination().open()) {
      byte[] version = destination.read(VERSION_PATH, 64).orElse(null);
      if (version == null) {
        destination.replace(
            VERSION_PATH, null, VERSION); // conditional: a write the client may retry
        destination.flush();
      } else if (!Arrays.equals(version, VERSION)) {
        throw new InvalidLogException(
            destination.describe(VERSION_PATH) + ": unsupported Tessera storage version");
      }
      requireEdgeInPlace(destination, state);
      // Only from the state this run was planned on: a bucket's generation precondition (a
      // directory's lock) keeps a concurrent job from being overwritten, or overwriting this one.
      destination.advanceTreeState(TREE_STATE_PATH, treeStateFrom(), state);
      destination.flush();
      destination.advanceCheckpoint(CHECKPOINT_PATH, spec.checkpoint(), state.size());
      destination.flush();
    }
    return state;
  }

  /**
   * Re-reads the right-edge tiles the new tree state points at: they must be in the destination and
   * hash to the verified root, whoever else writes there (a tile is never overwritten, but may be
   * deleted, or written by another tool).
   */
  private static void requireEdgeInPlace(LogStorage destination, TreeState verified)
      throws IOException {
    if (verified.size() == 0) {
      return;
    }
    byte[] stored = TreeEdgeReader.read(destination, verified.size()).root();
    if (!Arrays.equals(stored, verified.root())) {
      throw new InvalidLogException(
          destination.describe("tile/")
              + ": the right-edge tiles stored for tree size "
              + verified.size()
              + " hash to "
              + b64(stored)
              + ", not the verified root "
              + b64(verified.root())
              + ": another writer changed them; nothing committed");
    }
  }

  /**
   * Where the tree state advances from: where the run starts, or, with Tessera's Spanner state,
   * what the planner read.
   */
  private TreeState treeStateFrom() {
    return spec.tesseraTreeStateFrom() != null
        ? spec.tesseraTreeStateFrom()
        : new TreeState(spec.startSize(), spec.prior().root());
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
