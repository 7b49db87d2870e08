package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.format.Tiles;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Expands the bundle range of a run into ranges of bundles with a splittable source (never a list
 * in one machine's memory), breaks fusion so that the ranges fan out across workers, and migrates
 * each bundle of each range.
 */
public class MigrateBundles extends PTransform<PBegin, PCollectionTuple> {
  private final MigrationSpec spec;

  public MigrateBundles(MigrationSpec spec) {
    this.spec = spec;
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    BundleRanges ranges =
        BundleRanges.of(
            Tiles.edgeIndex(spec.startSize(), 0),
            Tiles.bundleCount(spec.treeSize()),
            spec.rangeSizing());
    return input
        .apply("BundleRanges", GenerateSequence.from(0).to(ranges.count()))
        .apply("FanOut", Reshuffle.<Long>viaRandomKey())
        .apply(
            "FetchVerifyWrite",
            ParDo.of(new MigrateBundleFn(spec, ranges))
                .withOutputTags(
                    TreeOutputs.FULL_TILE_ROOTS,
                    TupleTagList.of(TreeOutputs.EDGE_TILES)
                        .and(TreeOutputs.ISSUER_REFERENCES)
                        .and(TreeOutputs.ENTRY_IDENTITIES)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    spec.populateDisplayData(builder);
  }
}
