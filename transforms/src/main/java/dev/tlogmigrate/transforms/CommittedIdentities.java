package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.format.Tiles;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The identities of the entries an antispam index lacks that the run does not copy: from the
 * index's {@code nextIdx} up to the bundle where the copy starts (or to the tree size when there is
 * nothing to copy), read back from the destination, which committed them before. Empty when the
 * index is not behind the copy.
 */
public class CommittedIdentities extends PTransform<PBegin, PCollection<KV<byte[], Long>>> {
  private final MigrationSpec spec;

  public CommittedIdentities(MigrationSpec spec) {
    this.spec = spec;
  }

  /** Where the entries read back end: the copy's first bundle, or the tree size. */
  static long end(MigrationSpec spec) {
    return spec.startSize() == spec.treeSize()
        ? spec.treeSize()
        : Tiles.edgeIndex(spec.startSize(), 0) * Tiles.WIDTH;
  }

  @Override
  public PCollection<KV<byte[], Long>> expand(PBegin begin) {
    long from = spec.antispam().from();
    long end = end(spec);
    if (from >= end) {
      return begin.apply("None", Create.empty(KvCoder.of(ByteArrayCoder.of(), VarLongCoder.of())));
    }
    BundleRanges ranges =
        BundleRanges.of(Tiles.edgeIndex(from, 0), Tiles.bundleCount(end), spec.rangeSizing());
    return begin
        .apply("BundleRanges", GenerateSequence.from(0).to(ranges.count()))
        .apply("FanOut", Reshuffle.<Long>viaRandomKey())
        .apply("ReadIdentities", ParDo.of(new CommittedIdentitiesFn(spec, ranges, end)));
  }
}
