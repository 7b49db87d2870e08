package dev.tlogmigrate.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * Which options interfaces a fresh process registers: Beam's registry is set up once per process,
 * so each case runs in a JVM of its own ({@link Probe}), as the command line does.
 */
class BeamOptionsRegistryTest {
  /** Sets the registry up for its arguments, parses them, and prints what was registered. */
  public static final class Probe {
    public static void main(String[] args) {
      BeamOptionsRegistry.startFor(args);
      System.out.println("before " + registered());
      MigrateOptions options = OptionsParser.parse(args, false);
      System.out.println("runner " + options.getRunner().getSimpleName());
      System.out.println("account " + options.as(GcpOptions.class).getImpersonateServiceAccount());
      System.out.println("after " + registered());
    }

    private static String registered() {
      TreeSet<String> names = new TreeSet<>();
      PipelineOptionsFactory.getRegisteredOptions().forEach(c -> names.add(c.getSimpleName()));
      return names.toString();
    }
  }

  private static List<String> probe(String... args) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.lines().toList();
  }

  private static String line(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }

  @Test
  void aRunOnTheDirectRunnerRegistersBeamsDefaultsTheDirectRunnersAndOursOnly() throws Exception {
    List<String> out = probe("--source=/srv/log", "--destination=/srv/copy");
    assertEquals("runner DirectRunner", line(out, "runner "));
    String after = line(out, "after ");
    for (String iface : List.of("PipelineOptions", "DirectOptions", "MigrateOptions")) {
      assertTrue(after.contains(iface), after);
    }
    for (String iface : List.of("GcpOptions", "DataflowPipelineOptions", "BigQueryOptions")) {
      assertFalse(after.contains(iface), after);
    }
  }

  @Test
  void anOptionThoseDoNotKnowRegistersEveryRegistrarAndParses() throws Exception {
    List<String> out = probe("--source=/srv/log", "--impersonateServiceAccount=sa@p.example");
    assertFalse(line(out, "before ").contains("GcpOptions"), line(out, "before "));
    assertEquals("account sa@p.example", line(out, "account "));
    assertTrue(line(out, "after ").contains("DataflowPipelineOptions"), line(out, "after "));
  }

  @Test
  void anotherRunnerFindsEveryRegistrarFromTheStart() throws Exception {
    List<String> out = probe("--source=gs://b/log", "--runner=DataflowRunner", "--project=p");
    assertTrue(line(out, "before ").contains("DataflowPipelineOptions"), line(out, "before "));
    assertEquals("runner DataflowRunner", line(out, "runner "));
  }
}
