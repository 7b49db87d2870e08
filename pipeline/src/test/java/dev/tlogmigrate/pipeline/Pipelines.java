package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tlogmigrate.transforms.MigrationMetrics;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.location.LogLocation;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.metrics.StringSetResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Runs a test pipeline on the DirectRunner, its checks on (Beam's JUnit 5 extension is not served
 * at our Beam version, and TestPipeline is a JUnit 4 rule).
 */
final class Pipelines {
  private Pipelines() {}

  /**
   * Builds a pipeline with {@code build} (its PAsserts included) and runs it to the end; its result
   * holds the metrics.
   */
  static PipelineResult run(Consumer<Pipeline> build) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    build.accept(p);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return result;
  }

  private static MetricQueryResults metric(PipelineResult result, String name) {
    return result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.named(MigrationMetrics.NAMESPACE, name))
                .build());
  }

  /** A counter of the run, in the project's namespace, summed over every step. */
  static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : metric(result, name).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  /** A string set of the run, in the project's namespace, over every step. */
  static Set<String> stringSet(PipelineResult result, String name) {
    Set<String> all = new TreeSet<>();
    for (MetricResult<StringSetResult> s : metric(result, name).getStringSets()) {
      all.addAll(s.getAttempted().getStringSet());
    }
    return all;
  }

  /** Runs a pipeline that must fail, and returns what failed it. */
  static Throwable failure(Consumer<Pipeline> build) {
    return assertThrows(Pipeline.PipelineExecutionException.class, () -> run(build)).getCause();
  }

  /**
   * A tlog-tiles migration between two directories up to {@code size}, from {@code prior}, for a
   * stage that does not look at the checkpoint: its root and note are made up.
   */
  static MigrationSpec spec(Path source, Path destination, long size, TreeEdge prior) {
    return MigrationSpec.create(
        LogLocation.of(source.toString()),
        LogLocation.of(destination.toString()),
        LogFormat.TLOG_TILES,
        size,
        new byte[32],
        new byte[0],
        prior);
  }

  /** Byte arrays as hex, so that maps of them compare by content. */
  static Map<String, String> hex(Map<String, byte[]> bytes) {
    Map<String, String> out = new TreeMap<>();
    bytes.forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
    return out;
  }
}
