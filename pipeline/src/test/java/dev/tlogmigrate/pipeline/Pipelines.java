package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tlogmigrate.transforms.MigrationMetrics;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
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

  /** A counter of the run, in the project's namespace, summed over every step. */
  static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(MigrationMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  /** A string set of the run, in the project's namespace, over every step. */
  static Set<String> stringSet(PipelineResult result, String name) {
    Set<String> all = new TreeSet<>();
    for (MetricResult<StringSetResult> s :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(MigrationMetrics.NAMESPACE, name))
                    .build())
            .getStringSets()) {
      all.addAll(s.getAttempted().getStringSet());
    }
    return all;
  }

  /** Runs a pipeline that must fail, and returns what failed it. */
  static Throwable failure(Consumer<Pipeline> build) {
    return assertThrows(Pipeline.PipelineExecutionException.class, () -> run(build)).getCause();
  }

  /** Byte arrays as hex, so that maps of them compare by content. */
  static Map<String, String> hex(Map<String, byte[]> bytes) {
    Map<String, String> out = new TreeMap<>();
    bytes.forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
    return out;
  }
}
