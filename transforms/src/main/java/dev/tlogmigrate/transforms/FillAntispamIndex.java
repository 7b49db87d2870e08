package dev.tlogmigrate.transforms;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes a Tessera antispam index's rows from the workers: one per identity, with its lowest index
 * (the first entry wins, as Tessera's follower, which indexes the log in order and never overwrites
 * a row, decides), whichever worker each duplicate came from. Identities are grouped by key range
 * (their leading bits), about {@link #ROWS_PER_RANGE} to a range: every duplicate of an identity
 * meets the others in its range, and a range is written in sorted batches of contiguous keys. The
 * output is empty and complete once every row is written: what the commit waits on.
 */
public class FillAntispamIndex
    extends PTransform<PCollection<KV<byte[], Long>>, PCollection<Void>> {
  /**
   * Rows of a key range, written by one worker in a few batches: large enough to make full batches,
   * small enough to hold in memory and to spread a large log over many workers.
   */
  static final long ROWS_PER_RANGE = 8192;

  /** At most 2^20 ranges: 2^30 entries and more still make ranges of about a thousand rows. */
  static final int MAX_RANGE_BITS = 20;

  private final MigrationSpec spec;

  public FillAntispamIndex(MigrationSpec spec) {
    this.spec = spec;
  }

  /** How many leading bits of an identity name its range, for {@code entries} entries. */
  static int rangeBits(long entries) {
    int bits = 0;
    while (bits < MAX_RANGE_BITS && (entries >> bits) > ROWS_PER_RANGE) {
      bits++;
    }
    return bits;
  }

  @Override
  public PCollection<Void> expand(PCollection<KV<byte[], Long>> identities) {
    int bits = rangeBits(spec.treeSize() - spec.antispam().from());
    return identities
        .apply("ByKeyRange", ParDo.of(new KeyRangeFn(bits)))
        .apply("GroupByKeyRange", GroupByKey.create())
        .apply("FirstIndexWinsAndWrite", ParDo.of(new WriteAntispamRowsFn(spec)));
  }

  /** Keys an identity by its leading {@code bits} bits. */
  static class KeyRangeFn extends DoFn<KV<byte[], Long>, KV<Integer, KV<byte[], Long>>> {
    private final int bits;

    KeyRangeFn(int bits) {
      this.bits = bits;
    }

    @ProcessElement
    public void process(
        @Element KV<byte[], Long> id, OutputReceiver<KV<Integer, KV<byte[], Long>>> out) {
      byte[] h = id.getKey();
      int lead =
          ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
      out.output(KV.of(bits == 0 ? 0 : lead >>> (32 - bits), id));
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    spec.populateDisplayData(builder);
    builder
        .add(
            DisplayData.item("antispam", spec.antispam().index().toString())
                .withLabel("Antispam index"))
        .add(
            DisplayData.item("antispamFrom", spec.antispam().from())
                .withLabel("Antispam rows from"));
  }
}
