package dev.tlogmigrate.pipeline;

import dev.tlogmigrate.transforms.AdvanceAntispamFn;
import dev.tlogmigrate.transforms.BuildTileLevel;
import dev.tlogmigrate.transforms.CommitTreeStateFn;
import dev.tlogmigrate.transforms.CommittedIdentities;
import dev.tlogmigrate.transforms.CopyIssuers;
import dev.tlogmigrate.transforms.FillAntispamIndex;
import dev.tlogmigrate.transforms.MigrateBundles;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.TreeOutputs;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeState;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.jspecify.annotations.Nullable;

/**
 * The migration: bundles are fetched, verified and written in parallel; one stage per tile level
 * combines the subtree hashes into the higher tiles; for static-ct logs the issuers the entries
 * reference are copied once each; a final singleton stage checks the root against the verified
 * checkpoint and only then commits the tree state.
 *
 * <p>With a Tessera antispam index to fill, the workers also write its rows (the identities of the
 * entries they copy, and of committed entries the index lacks), the commit waits for all of them,
 * and the follower's {@code nextIdx} moves to the committed size last. With nothing to copy, only
 * that is done: the index catches up with the committed log.
 */
public class MigrateLog extends PTransform<PBegin, PCollection<TreeState>> {
  private final MigrationSpec spec;

  public MigrateLog(MigrationSpec spec) {
    this.spec = spec;
  }

  @Override
  public PCollection<TreeState> expand(PBegin begin) {
    if (spec.startSize() == spec.treeSize() && spec.antispam() != null) {
      return begin
          .apply("Committed", Create.of(new TreeState(spec.treeSize(), spec.root())))
          .apply("AfterAntispamRows", Wait.on(antispamRows(begin, null)))
          .apply("AdvanceAntispam", ParDo.of(new AdvanceAntispamFn(spec)));
    }
    PCollectionTuple bundles = begin.apply("MigrateBundles", new MigrateBundles(spec));
    PCollectionTuple level = bundles;
    List<PCollection<KV<Integer, byte[]>>> edges = new ArrayList<>();
    edges.add(level.get(TreeOutputs.EDGE_TILES));
    for (int l = 1; l <= Tiles.topLevel(spec.treeSize()); l++) {
      level =
          level
              .get(TreeOutputs.FULL_TILE_ROOTS)
              .apply("BuildTileLevel" + l, new BuildTileLevel(spec, l));
      edges.add(level.get(TreeOutputs.EDGE_TILES));
    }
    // Every stage feeds this view, so it is ready only once every stage has written all its tiles.
    PCollectionView<List<KV<Integer, byte[]>>> edgeTiles =
        PCollectionList.of(edges)
            .apply("AllEdgeTiles", Flatten.pCollections())
            .apply("AsList", View.asList());
    List<PCollectionView<?>> awaited = new ArrayList<>(List.of(edgeTiles));
    PCollectionView<Long> issuersCopied = null;
    if (spec.format() == LogFormat.STATIC_CT) {
      issuersCopied =
          bundles
              .get(TreeOutputs.ISSUER_REFERENCES)
              .apply("CopyIssuers", new CopyIssuers(spec))
              .apply("CountIssuers", Count.globally())
              .apply("IssuersDone", View.asSingleton());
      awaited.add(issuersCopied);
    }
    PCollection<Long> once = begin.apply("Once", Create.of(spec.treeSize()));
    if (spec.antispam() != null) {
      once =
          once.apply(
              "AfterAntispamRows",
              Wait.on(antispamRows(begin, bundles.get(TreeOutputs.ENTRY_IDENTITIES))));
    }
    PCollection<TreeState> committed =
        once.apply(
            "VerifyRootAndCommit",
            ParDo.of(new CommitTreeStateFn(spec, edgeTiles, issuersCopied))
                .withSideInputs(awaited));
    return spec.antispam() == null
        ? committed
        : committed.apply("AdvanceAntispam", ParDo.of(new AdvanceAntispamFn(spec)));
  }

  /**
   * Writes the antispam rows: of the entries copied (their identities, from the bundle stage) and
   * of committed entries the index lacks, read back from the destination.
   */
  private PCollection<Void> antispamRows(
      PBegin begin, @Nullable PCollection<KV<byte[], Long>> copiedIdentities) {
    PCollection<KV<byte[], Long>> committed =
        begin.apply("CommittedIdentities", new CommittedIdentities(spec));
    PCollectionList<KV<byte[], Long>> all =
        copiedIdentities == null
            ? PCollectionList.of(committed)
            : PCollectionList.of(copiedIdentities).and(committed);
    return all.apply("AllIdentities", Flatten.pCollections())
        .apply("FillAntispamIndex", new FillAntispamIndex(spec));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    spec.populateDisplayData(builder);
  }
}
