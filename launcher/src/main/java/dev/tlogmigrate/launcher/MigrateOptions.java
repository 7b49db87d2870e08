package dev.tlogmigrate.launcher;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** The options of a migration, next to Beam's own (--runner, --targetParallelism, ...). */
public interface MigrateOptions extends PipelineOptions {
  @Description("The log to copy: a local directory, a file: URL, or an http(s):// URL prefix.")
  @Validation.Required
  String getSource();

  void setSource(String value);

  @Description("Where the verified copy goes: a local directory, laid out as Tessera's POSIX storage.")
  @Validation.Required
  String getDestination();

  void setDestination(String value);

  @Description("The source log's signed-note verifier key, <name>+<key ID hex>+<base64 key>. "
      + "The checkpoint must carry a valid signature by it.")
  @Validation.Required
  String getSourceVerifierKey();

  void setSourceVerifierKey(String value);

  @Description("Seconds between progress lines on standard error; 0 turns them off.")
  @Default.Integer(5)
  int getProgressIntervalSeconds();

  void setProgressIntervalSeconds(int value);
}
