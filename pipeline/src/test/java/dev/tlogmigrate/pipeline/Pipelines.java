package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Runs a test pipeline on the DirectRunner, its checks on (Beam's JUnit 5 extension is not served
 * at our Beam version, and TestPipeline is a JUnit 4 rule).
 */
final class Pipelines {
  private Pipelines() {}

  /** Builds a pipeline with {@code build} (its PAsserts included) and runs it to the end. */
  static void run(Consumer<Pipeline> build) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    build.accept(p);
    p.run().waitUntilFinish();
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
