package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.AdvanceAntispamFn;
import dev.tlogmigrate.transforms.BuildTileLevelFn;
import dev.tlogmigrate.transforms.CommitTreeStateFn;
import dev.tlogmigrate.transforms.CopyIssuerFn;
import dev.tlogmigrate.transforms.MigrateBundleFn;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.secret.Secret;
import dev.tlogmigrate.transforms.storage.http.HttpSettings;
import dev.tlogmigrate.transforms.tessera.AntispamFill;
import dev.tlogmigrate.transforms.tessera.TesseraTakeover;
import dev.tlogmigrate.transforms.tessera.mysql.TesseraMySqlConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;

/**
 * The source's bearer token and Tessera's MySQL password travel only with the stages that use them:
 * every DoFn of the built pipeline is serialized, as a runner ships it, and searched for their
 * bytes; so is what every transform displays. Given on the command line of a DirectRunner run,
 * neither is in any DoFn; carried to workers on other machines, the token is only in the stages
 * that fetch and the password only in the final one.
 */
class SecretsInTheJobTest {
  private static final String TOKEN = "token-" + UUID.randomUUID();
  private static final String PASSWORD = "password-" + UUID.randomUUID();

  /** The bytes of each DoFn of a MigrateLog, by DoFn class, and everything transforms display. */
  private record Job(Map<String, List<String>> doFns, List<String> displayed) {}

  private static MigrationSpec spec(Secret token, Secret password, boolean compareSourceTiles) {
    LogLocation source =
        LogLocation.of("https://log.example/")
            .withHttp(HttpSettings.builder().bearerToken(token).build());
    MigrationSpec spec =
        MigrationSpec.create(
                source,
                LogLocation.of("s3://mirror"),
                LogFormat.STATIC_CT,
                70_000,
                new byte[32],
                "checkpoint".getBytes(StandardCharsets.US_ASCII),
                TreeEdge.empty())
            .withTesseraTakeover(
                TesseraTakeover.of(
                    TesseraMySqlConfig.of("jdbc:mariadb://db.example/log", "tessera", password),
                    new TreeState(0, new byte[32]),
                    new TreeState(0, new byte[32])));
    return compareSourceTiles ? spec.withCompareSourceTiles() : spec;
  }

  private static Job build(MigrationSpec spec) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply("MigrateLog", new MigrateLog(spec));
    Map<String, List<String>> doFns = new TreeMap<>();
    List<String> displayed = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() != null) {
              displayed.add(DisplayData.from(node.getTransform()).toString());
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            displayed.add(DisplayData.from(node.getTransform()).toString());
            if (node.getTransform() instanceof ParDo.MultiOutput<?, ?> parDo) {
              DoFn<?, ?> fn = parDo.getFn();
              doFns
                  .computeIfAbsent(fn.getClass().getSimpleName(), k -> new ArrayList<>())
                  .add(serialized(fn));
            }
          }
        });
    return new Job(doFns, displayed);
  }

  /**
   * The DoFn's Java serialization, as a runner ships it; not through SerializableUtils, whose
   * Snappy compression could encode a secret's bytes as a reference to earlier ones.
   */
  private static String serialized(DoFn<?, ?> fn) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(fn);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean anyHolds(List<String> serialized, String secret) {
    return serialized.stream().anyMatch(bytes -> bytes.contains(secret));
  }

  @Test
  void givenToAnInProcessRunNoDoFnCarriesEitherSecret() {
    for (boolean compare : new boolean[] {false, true}) {
      Job job =
          build(
              spec(
                  Secret.given("--sourceBearerToken", TOKEN),
                  Secret.given("--tesseraMySqlPassword", PASSWORD),
                  compare));
      assertTrue(job.doFns().keySet().containsAll(allOurs()), job.doFns().keySet().toString());
      job.doFns()
          .forEach(
              (fn, bytes) -> {
                assertFalse(anyHolds(bytes, TOKEN), fn + " carries the token");
                assertFalse(anyHolds(bytes, PASSWORD), fn + " carries the password");
              });
      assertNothingDisplayed(job);
    }
  }

  @Test
  void carriedToOtherMachinesEachSecretIsOnlyInTheStagesThatUseIt() {
    for (boolean compare : new boolean[] {false, true}) {
      Job job =
          build(
              spec(
                  Secret.carried("--sourceBearerToken", TOKEN),
                  Secret.carried("--tesseraMySqlPassword", PASSWORD),
                  compare));
      List<String> withToken = new ArrayList<>();
      List<String> withPassword = new ArrayList<>();
      job.doFns()
          .forEach(
              (fn, bytes) -> {
                if (anyHolds(bytes, TOKEN)) {
                  withToken.add(fn);
                }
                if (anyHolds(bytes, PASSWORD)) {
                  withPassword.add(fn);
                }
              });
      List<String> fetching =
          compare
              ? List.of(
                  BuildTileLevelFn.class.getSimpleName(),
                  CopyIssuerFn.class.getSimpleName(),
                  MigrateBundleFn.class.getSimpleName())
              : List.of(CopyIssuerFn.class.getSimpleName(), MigrateBundleFn.class.getSimpleName());
      assertEquals(fetching, withToken, "the DoFns that carry the token");
      assertEquals(
          List.of(CommitTreeStateFn.class.getSimpleName()),
          withPassword,
          "the DoFns that carry the password");
      assertNothingDisplayed(job);
    }
  }

  @Test
  void readFromAFileOrTheEnvironmentNeitherValueIsInTheJob() {
    Job job =
        build(
            spec(
                Secret.ofFile("--sourceBearerTokenFile", "/run/secrets/token"),
                Secret.ofEnvironment("--tesseraMySqlPasswordEnv", "DB_PASSWORD"),
                true));
    job.doFns()
        .forEach(
            (fn, bytes) -> {
              assertFalse(anyHolds(bytes, "/run/secrets/token") && !fetches(fn), fn);
              assertFalse(
                  anyHolds(bytes, "DB_PASSWORD")
                      && !fn.equals(CommitTreeStateFn.class.getSimpleName()),
                  fn);
            });
  }

  @Test
  void withAnAntispamIndexThePasswordIsOnlyInTheStagesThatWriteToTheDatabases() {
    TesseraMySqlConfig log =
        TesseraMySqlConfig.of(
            "jdbc:mariadb://db.example/log",
            "tessera",
            Secret.carried("--tesseraMySqlPassword", PASSWORD));
    MigrationSpec spec =
        spec(Secret.carried("--sourceBearerToken", TOKEN), null, false)
            .withTesseraTakeover(
                TesseraTakeover.of(
                    log, new TreeState(0, new byte[32]), new TreeState(0, new byte[32])))
            .withAntispam(AntispamFill.of(log.antispam("antispam"), 0));
    Job job = build(spec);

    List<String> withToken = new ArrayList<>();
    List<String> withPassword = new ArrayList<>();
    job.doFns()
        .forEach(
            (fn, bytes) -> {
              if (anyHolds(bytes, TOKEN)) {
                withToken.add(fn);
              }
              if (anyHolds(bytes, PASSWORD)) {
                withPassword.add(fn);
              }
            });
    assertEquals(
        List.of(CopyIssuerFn.class.getSimpleName(), MigrateBundleFn.class.getSimpleName()),
        withToken,
        "the DoFns that carry the token");
    assertEquals(
        List.of(
            AdvanceAntispamFn.class.getSimpleName(),
            CommitTreeStateFn.class.getSimpleName(),
            "WriteAntispamRowsFn"),
        withPassword,
        "the DoFns that carry the password");
    assertNothingDisplayed(job);
  }

  private static boolean fetches(String fn) {
    return List.of(
            MigrateBundleFn.class.getSimpleName(),
            CopyIssuerFn.class.getSimpleName(),
            BuildTileLevelFn.class.getSimpleName())
        .contains(fn);
  }

  private static List<String> allOurs() {
    return List.of(
        MigrateBundleFn.class.getSimpleName(),
        BuildTileLevelFn.class.getSimpleName(),
        CopyIssuerFn.class.getSimpleName(),
        CommitTreeStateFn.class.getSimpleName());
  }

  private static void assertNothingDisplayed(Job job) {
    String all = String.join("\n", job.displayed());
    assertTrue(all.contains("https://log.example/"), "the display data was read: " + all);
    assertFalse(all.contains(TOKEN), "the token is displayed");
    assertFalse(all.contains(PASSWORD), "the password is displayed");
  }
}
