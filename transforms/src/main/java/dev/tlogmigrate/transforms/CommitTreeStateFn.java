package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.fetch.RunThreads;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.LogLayout;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.LogStorage;
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
 * root commits ({@link DestinationCommit}).
 */
public class CommitTreeStateFn extends DoFn<Long, TreeState> {
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
    // It reads nothing from the source: the source's credentials travel only with the fetches.
    this.spec = spec.withoutSourceCredentials();
    this.edgeTiles = edgeTiles;
    this.issuersCopied = issuersCopied;
  }

  @ProcessElement
  public void process(ProcessContext c) throws IOException, InterruptedException {
    RunThreads.of(spec.runId())
        .work("the commit of " + spec.destination(), () -> verifyAndCommit(c));
  }

  private void verifyAndCommit(ProcessContext c) throws IOException {
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
    TreeEdge edge = spec.prior().extendedTo(size, produced::get);
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
          spec.source().describe(LogLayout.CHECKPOINT)
              + ": root mismatch at tree size "
              + size
              + ": the source's entries hash to "
              + b64(root)
              + " but its checkpoint says "
              + b64(spec.root())
              + "; nothing committed");
    }
    try (LogStorage destination = spec.destination().open()) {
      c.output(DestinationCommit.commit(spec, destination));
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
