package dev.tlogmigrate.transforms;

import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Min;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes a Tessera antispam index's rows from the workers: one per identity, with its lowest index
 * (the first entry wins, as Tessera's follower, which indexes the log in order and never overwrites
 * a row, decides), whichever worker each duplicate came from. The output is empty and complete once
 * every row is written: what the commit waits on.
 */
public class FillAntispamIndex
    extends PTransform<PCollection<KV<byte[], Long>>, PCollection<Void>> {
  private final MigrationSpec spec;

  public FillAntispamIndex(MigrationSpec spec) {
    this.spec = spec;
  }

  @Override
  public PCollection<Void> expand(PCollection<KV<byte[], Long>> identities) {
    return identities
        .apply("FirstIndexWins", Combine.perKey(Min.ofLongs()))
        .apply("WriteRows", ParDo.of(new WriteAntispamRowsFn(spec)));
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
