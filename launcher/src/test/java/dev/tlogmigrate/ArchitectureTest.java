package dev.tlogmigrate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.tlogmigrate.transforms.format.ArchitectureViolation;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The architecture as rules (README, "How the code is laid out"): the formats stand alone, the
 * storage backends know nothing of Beam's pipeline or of each other, what only the tools use stays
 * out of a migration, and nothing depends on the launcher. Each rule is checked against the main
 * code of all three modules, and shown to catch a deliberate violation.
 */
class ArchitectureTest {
  private static final String T = "dev.tlogmigrate.transforms";

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // the transforms' test classes reach this module as a jar, which that option lets in
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("dev.tlogmigrate");

  /** The log formats: parsing, hashing, signatures. No Beam, no cloud, no I/O. */
  static final ArchRule FORMATS_STAND_ALONE =
      classes()
          .that()
          .resideInAPackage(T + ".format..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              T + ".format..",
              "java.lang..",
              "java.util..",
              "java.math..",
              "java.security..",
              "java.nio",
              "java.nio.charset..",
              "java.io",
              "com.fasterxml.jackson..",
              "com.google.auto.value..",
              "org.jspecify..")
          .andShould()
          .onlyDependOnClassesThat()
          .doNotHaveFullyQualifiedName("java.io.File")
          .as("the formats depend on nothing but the JDK's bytes, hashes and signatures");

  /** Building and signing logs of one's own is for the tools (and tests), never a migration. */
  static final ArchRule ONLY_TOOLS_GENERATE =
      noClasses()
          .that()
          .resideOutsideOfPackages(T + ".generate..", "dev.tlogmigrate.launcher.tools..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(T + ".generate..")
          .as("only generate and serve build or sign logs");

  /** Fetching machinery: bounded reads and the fetch pool, with no storage or Beam in it. */
  static final ArchRule FETCHING_STANDS_ALONE =
      classes()
          .that()
          .resideInAPackage(T + ".fetch..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(T + ".fetch..", T + ".format..", "java..")
          .as("the fetch machinery depends only on the JDK and the formats");

  /** Where a secret comes from: the JDK alone, so that any stage that needs one can carry it. */
  static final ArchRule SECRETS_STAND_ALONE =
      classes()
          .that()
          .resideInAPackage(T + ".secret..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(T + ".secret..", "java..")
          .as("secrets depend only on the JDK");

  /** Storage serves the pipeline; it knows no DoFn, Tessera database, pipeline or command. */
  static final ArchRule STORAGE_KNOWS_NO_PIPELINE =
      noClasses()
          .that()
          .resideInAPackage(T + ".storage..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              T,
              T + ".location..",
              T + ".tessera..",
              "dev.tlogmigrate.pipeline..",
              "dev.tlogmigrate.launcher..",
              "org.apache.beam.sdk.transforms..",
              "org.apache.beam.sdk.values..",
              "org.apache.beam.runners..")
          .as("a storage backend knows no DoFn, database, pipeline or command");

  /** Each backend stands alone; the bucket stores share only their common base. */
  static final ArchRule BACKENDS_APART =
      slices()
          .matching(T + ".storage.(*)..")
          .should()
          .notDependOnEachOther()
          .ignoreDependency(
              com.tngtech.archunit.base.DescribedPredicate.alwaysTrue(),
              com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(
                  T + ".storage.bucket"))
          .as("no storage backend depends on another (the bucket base aside)");

  /** The Tessera databases know storage and formats, not the pipeline that calls them. */
  static final ArchRule TESSERA_KNOWS_NO_PIPELINE =
      noClasses()
          .that()
          .resideInAPackage(T + ".tessera..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              T, "dev.tlogmigrate.pipeline..", "dev.tlogmigrate.launcher..", "org.apache.beam..")
          .as("the Tessera databases know no Beam, pipeline or command");

  /** The layers point one way: transforms, then pipeline, then launcher. */
  static final ArchRule NOTHING_DEPENDS_ON_THE_LAUNCHER =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.tlogmigrate.launcher..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.tlogmigrate.launcher..")
          .as("nothing depends on the launcher");

  static final ArchRule TRANSFORMS_KNOW_NO_PIPELINE =
      noClasses()
          .that()
          .resideInAPackage(T + "..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.tlogmigrate.pipeline..")
          .as("the transforms know nothing of the pipeline that composes them");

  /** The tools for trying tlog-migrate out use the formats, never the commands. */
  static final ArchRule TOOLS_APART_FROM_COMMANDS =
      noClasses()
          .that()
          .resideInAPackage("dev.tlogmigrate.launcher.tools..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.tlogmigrate.launcher", "dev.tlogmigrate.pipeline..", T, T + ".tessera..")
          .as("generate and serve use no command, pipeline or DoFn");

  static final ArchRule NO_PACKAGE_CYCLES =
      slices().matching("dev.tlogmigrate.(**)").should().beFreeOfCycles();

  static final List<ArchRule> RULES =
      List.of(
          FORMATS_STAND_ALONE,
          ONLY_TOOLS_GENERATE,
          FETCHING_STANDS_ALONE,
          SECRETS_STAND_ALONE,
          STORAGE_KNOWS_NO_PIPELINE,
          BACKENDS_APART,
          TESSERA_KNOWS_NO_PIPELINE,
          NOTHING_DEPENDS_ON_THE_LAUNCHER,
          TRANSFORMS_KNOW_NO_PIPELINE,
          TOOLS_APART_FROM_COMMANDS,
          NO_PACKAGE_CYCLES);

  @Test
  void theMainCodeKeepsEveryRule() {
    assertTrue(MAIN.size() > 100, "imported " + MAIN.size() + " classes: the scan found no code");
    String violations =
        RULES.stream()
            .map(rule -> rule.evaluate(MAIN))
            .filter(EvaluationResult::hasViolation)
            .map(result -> result.getFailureReport().toString())
            .collect(Collectors.joining("\n"));
    assertEquals("", violations);
  }

  @Test
  void aFormatThatImportsBeamBreaksTheRules() {
    JavaClasses violation = new ClassFileImporter().importClasses(ArchitectureViolation.class);
    AssertionError e =
        assertThrows(AssertionError.class, () -> FORMATS_STAND_ALONE.check(violation));
    assertTrue(e.getMessage().contains("org.apache.beam.sdk.transforms.DoFn"), e.getMessage());
    assertThrows(AssertionError.class, () -> NOTHING_DEPENDS_ON_THE_LAUNCHER.check(violation));
  }
}
