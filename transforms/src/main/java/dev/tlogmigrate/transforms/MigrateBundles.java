package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.format.Tiles;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Expands the bundle range of a run with a splittable source (never a list in one machine's
 * memory), breaks fusion so that bundles fan out across workers, and migrates each bundle.
 */
public class MigrateBundles extends PTransform<PBegin, PCollectionTuple> {
  private final MigrationSpec spec;

  public MigrateBundles(MigrationSpec spec) {
    this.spec = spec;
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    long first = Tiles.edgeIndex(spec.startSize(), 0);
    long end = Tiles.bundleCount(spec.treeSize());
    return input
        .apply("BundleIndices", GenerateSequence.from(first).to(end))
        .apply("FanOut", Reshuffle.viaRandomKey())
        .apply("FetchVerifyWrite", ParDo.of(new MigrateBundleFn(spec))
            .withOutputTags(TreeOutputs.FULL_TILE_ROOTS,
                TupleTagList.of(TreeOutputs.EDGE_TILES).and(TreeOutputs.ISSUER_REFERENCES)));
  }
}
