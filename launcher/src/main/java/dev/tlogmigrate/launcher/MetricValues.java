package dev.tlogmigrate.launcher;

import dev.tlogmigrate.transforms.MigrationMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.metrics.StringSetResult;

/** The migration's counters as the runner reports them, summed over steps. */
final class MetricValues {
  private final Map<String, Long> values = new HashMap<>();
  private final Map<String, Set<String>> strings = new HashMap<>();

  static MetricValues of(PipelineResult result) {
    MetricValues v = new MetricValues();
    try {
      MetricQueryResults q =
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(MigrationMetrics.NAMESPACE))
                      .build());
      for (MetricResult<Long> c : q.getCounters()) {
        Long value = attemptedOrCommitted(c);
        v.values.merge(c.getName().getName(), value == null ? 0 : value, Long::sum);
      }
      for (MetricResult<StringSetResult> set : q.getStringSets()) {
        StringSetResult value = set.getAttempted();
        v.strings
            .computeIfAbsent(set.getName().getName(), k -> new TreeSet<>())
            .addAll(value == null ? Set.of() : value.getStringSet());
      }
    } catch (UnsupportedOperationException e) {
      // A runner without metrics: the summary shows zeros rather than failing a finished job.
    }
    return v;
  }

  private static Long attemptedOrCommitted(MetricResult<Long> c) {
    try {
      return c.getCommitted();
    } catch (UnsupportedOperationException e) {
      return c.getAttempted();
    }
  }

  long get(String name) {
    return values.getOrDefault(name, 0L);
  }

  /** A string-set metric, sorted. */
  Set<String> strings(String name) {
    return strings.getOrDefault(name, Set.of());
  }
}
