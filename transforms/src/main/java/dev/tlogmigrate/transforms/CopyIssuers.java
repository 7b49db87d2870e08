package dev.tlogmigrate.transforms;

import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Min;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Copies every issuer the migrated entries reference exactly once, however many entries and workers
 * reference it; the lowest referencing entry is kept to name in errors.
 */
public class CopyIssuers extends PTransform<PCollection<KV<String, Long>>, PCollection<String>> {
  private final MigrationSpec spec;

  public CopyIssuers(MigrationSpec spec) {
    this.spec = spec;
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, Long>> references) {
    return references
        .apply("OncePerIssuer", Combine.perKey(Min.ofLongs()))
        .apply("VerifyAndCopy", ParDo.of(new CopyIssuerFn(spec)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    spec.populateDisplayData(builder);
  }
}
