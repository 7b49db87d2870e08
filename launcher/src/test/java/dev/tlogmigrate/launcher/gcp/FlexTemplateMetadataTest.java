package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlogmigrate.launcher.MigrateOptions;
import dev.tlogmigrate.launcher.testing.TestLogs;
import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Validation;
import org.junit.jupiter.api.Test;

/**
 * The Flex Template's metadata.json declares exactly the options MigrateOptions itself declares
 * (read reflectively, so a new option fails this test until it is declared there too), required
 * exactly where the interface requires them, each with a label, help text and validation regexes.
 * terraform/check.sh in turn checks the Scheduler's parameters against this file.
 */
class FlexTemplateMetadataTest {
  static final Path METADATA = Path.of("flex-template/metadata.json");

  /** MigrateOptions' own properties (not Beam's), and whether each is required. */
  static Map<String, Boolean> declaredOptions() {
    Map<String, Boolean> options = new TreeMap<>();
    for (Method m : MigrateOptions.class.getDeclaredMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.isDefault()) {
        continue;
      }
      String name = m.getName();
      String property =
          name.startsWith("get")
              ? name.substring(3)
              : name.startsWith("is") ? name.substring(2) : null;
      if (property != null && !property.isEmpty()) {
        options.put(
            Introspector.decapitalize(property), m.isAnnotationPresent(Validation.Required.class));
      }
    }
    return options;
  }

  @Test
  void metadataNamesExactlyTheLaunchersOptions() throws Exception {
    JsonNode metadata = new ObjectMapper().readTree(Files.readAllBytes(METADATA));
    assertFalse(metadata.path("name").asText().isBlank());
    assertFalse(metadata.path("description").asText().isBlank());

    Map<String, Boolean> declared = new TreeMap<>();
    for (JsonNode p : metadata.get("parameters")) {
      String name = p.get("name").asText();
      assertEquals(
          null,
          declared.put(name, !p.path("isOptional").asBoolean(false)),
          "declared twice: " + name);
      assertFalse(p.path("label").asText().isBlank(), name + ": label");
      assertFalse(p.path("helpText").asText().isBlank(), name + ": helpText");
      assertTrue(p.path("regexes").size() > 0, name + ": regexes");
      for (JsonNode regex : p.get("regexes")) {
        Pattern.compile(regex.asText()); // written in the common subset of POSIX ERE and Java regex
      }
    }

    Map<String, Boolean> options = declaredOptions();
    assertTrue(
        options.keySet().containsAll(java.util.List.of("source", "destination")),
        options.toString());
    assertEquals(
        options.keySet(), declared.keySet(), "metadata.json parameters vs MigrateOptions' options");
    assertEquals(
        options,
        declared,
        "required (isOptional false) exactly where MigrateOptions has @Validation.Required");
  }

  @Test
  void theRegexesAcceptWhatATemplateJobNeedsAndRejectLocalPaths() throws Exception {
    JsonNode metadata = new ObjectMapper().readTree(Files.readAllBytes(METADATA));
    Map<String, Pattern> regex = new TreeMap<>();
    for (JsonNode p : metadata.get("parameters")) {
      regex.put(p.get("name").asText(), Pattern.compile(p.get("regexes").get(0).asText()));
    }
    assertTrue(regex.get("source").matcher("https://log.example.com/2025h1/").matches());
    assertTrue(regex.get("source").matcher("gs://tlog-source/logs/example").matches());
    assertFalse(
        regex.get("source").matcher("/var/lib/log").matches(),
        "workers cannot see a local directory");
    assertTrue(regex.get("destination").matcher("gs://tlog-mirror/mirrors/example").matches());
    assertFalse(regex.get("destination").matcher("https://log.example.com/").matches());
    assertTrue(regex.get("sourceVerifierKey").matcher(TestLogs.VKEY).matches());
    assertTrue(regex.get("witnessKey").matcher(TestLogs.VKEY + "," + TestLogs.VKEY).matches());
    assertTrue(regex.get("format").matcher("static-ct").matches());
    assertTrue(
        regex
            .get("sourceTrustedCertificates")
            .matcher("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
            .matches());
    assertFalse(
        regex.get("sourceTrustedCertificates").matcher("/etc/ssl/private-ca.pem").matches(),
        "workers cannot see a local file");
  }

  /**
   * The launcher image's base is pinned: a dated release tag or a digest, never {@code latest} nor
   * no tag, so that the same source builds the same image.
   */
  @Test
  void theDockerfilePinsItsBaseImage() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("flex-template/Dockerfile"));
    String base =
        lines.stream()
            .filter(l -> l.startsWith("ARG BASE_IMAGE="))
            .map(l -> l.substring("ARG BASE_IMAGE=".length()))
            .findFirst()
            .orElseThrow();
    assertTrue(
        lines.contains("FROM ${BASE_IMAGE}"), "the image is built FROM the pinned base: " + lines);
    assertTrue(
        base.matches(
            "gcr\\.io/dataflow-templates-base/java17-template-launcher-base"
                + "(:[0-9]{8}_RC[0-9]{2}|@sha256:[0-9a-f]{64})"),
        "not pinned to a release: " + base);
  }
}
