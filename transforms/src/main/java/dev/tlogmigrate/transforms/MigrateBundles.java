package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.format.Tiles;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Expands the bundle range of a run into ranges of bundles, emitted one by one from a single
 * element (never a list in one machine's memory: a billion entries make 122,071 ranges on a
 * distributed runner), breaks fusion so that the ranges fan out across workers, and migrates each
 * bundle of each range.
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
        .apply("Impulse", Impulse.create())
        .apply("BundleRanges", ParDo.of(new RangeIndices(ranges.count())))
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

  /**
   * Emits 0 .. count - 1. Not GenerateSequence: its splittable source costs the DirectRunner a
   * polling loop over processing-time timers for as long as it runs, and a native library extracted
   * to /tmp on every run; the Reshuffle that follows spreads the ranges all the same.
   */
  private static final class RangeIndices extends DoFn<byte[], Long> {
    private final long count;

    RangeIndices(long count) {
      this.count = count;
    }

    @ProcessElement
    public void process(OutputReceiver<Long> out) {
      for (long i = 0; i < count; i++) {
        out.output(i);
      }
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    spec.populateDisplayData(builder);
  }
}
