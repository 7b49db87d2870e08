package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.GzipDataTiles;
import dev.tlogmigrate.launcher.testing.StaticCtTestLog;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.SignedNote;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole migrations into (and out of) GCS through the command line on the DirectRunner, against the
 * GCS JSON API of fake-gcs-server on loopback ({@link FakeGcsServer}); the command line reaches it
 * with {@code --gcsEndpoint}, as it would reach any endpoint. The verification is the one on disk:
 * every object equals the generator's file byte for byte, and the tree state object holds the
 * checkpoint's size and root.
 */
class GcsMigrationTest {
  private static final String SOURCE_BUCKET = "tlog-source";
  private static final String DEST_BUCKET = "tlog-mirror";
  private static final String SOURCE = "gs://" + SOURCE_BUCKET + "/logs/example";
  private static final String DESTINATION = "gs://" + DEST_BUCKET + "/mirrors/example";

  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(SOURCE_BUCKET, DEST_BUCKET);

  @TempDir Path tmp;

  static Cli.Result migrate(String source, String destination, String... extra) {
    return migrateVia(GCS.endpoint(), source, destination, extra);
  }

  /** A migration that reaches GCS at {@code endpoint}: the server, or a proxy in front of it. */
  static Cli.Result migrateVia(
      String endpoint, String source, String destination, String... extra) {
    List<String> args = new ArrayList<>(FakeGcsServer.flags(endpoint));
    args.addAll(Arrays.asList(extra));
    return Cli.migrate(source, destination, TestLogs.VKEY, args.toArray(String[]::new));
  }

  /**
   * Uploads a log directory, entry bundles gzip-encoded as a log that compresses them would store
   * them.
   */
  static void upload(FakeGcsServer gcs, Path dir, String bucket, String prefix) {
    Cli.files(dir)
        .forEach(
            (name, bytes) -> {
              BlobInfo.Builder info = BlobInfo.newBuilder(BlobId.of(bucket, prefix + name));
              if (name.startsWith("tile/entries/")) {
                gcs.put(info.setContentEncoding("gzip").build(), GzipDataTiles.gzip(bytes));
              } else {
                gcs.put(info.build(), bytes);
              }
            });
  }

  private void upload(Path dir) {
    upload(GCS, dir, SOURCE_BUCKET, "logs/example/");
  }

  /**
   * The destination holds exactly the source's files, byte for byte, as Tessera's GCS driver would.
   */
  private void assertMirrorEquals(Path source, long size) {
    Map<String, byte[]> want = Cli.files(source);
    Map<String, byte[]> got = GCS.objects(DEST_BUCKET, "mirrors/example/");
    assertEquals(want.keySet(), got.keySet(), "object set differs");
    want.forEach((name, bytes) -> assertArrayEquals(bytes, got.get(name), name + " differs"));

    TreeState state = TreeState.parse("treeState", got.get(".state/treeState"));
    Checkpoint cp =
        Checkpoint.parse(
            "checkpoint", SignedNote.parse("checkpoint", got.get("checkpoint")).text());
    assertEquals(size, state.size());
    assertEquals(cp.rootBase64(), state.rootBase64());
    for (String name : got.keySet()) {
      Blob meta = GCS.metadata(DEST_BUCKET, "mirrors/example/" + name);
      String cache = name.startsWith("tile/") ? "max-age=604800,immutable" : "no-cache";
      String type =
          name.equals("checkpoint") ? "text/plain; charset=utf-8" : "application/octet-stream";
      assertEquals(cache, meta.getCacheControl(), name);
      assertEquals(type, meta.getContentType(), name);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 257, 65536 + 256 + 1})
  void gcsToGcs(long size) throws IOException {
    Path source = TestLogs.generate(tmp.resolve("source"), size);
    upload(source);

    Cli.Result r = migrate(SOURCE, DESTINATION);

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("destination " + DESTINATION + "/: committed size 0"), r.out());
    assertTrue(r.out().contains("committed tree size " + size), r.out());
    assertMirrorEquals(source, size);
    assertTrue(Files.notExists(Path.of("gs:")), "a gs:// location was taken for a local path");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 65536 + 256 + 1})
  void httpToGcs(long size) throws IOException {
    Path source = TestLogs.generate(tmp.resolve("source"), size);

    try (StaticLogServer server = new StaticLogServer(source)) {
      Cli.Result r = migrate(server.url(), DESTINATION);
      assertEquals(0, r.status(), r.all());
    }
    assertMirrorEquals(source, size);
  }

  @Test
  void aMirrorKeptInSyncCopiesOnlyWhatIsNew() throws IOException {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    upload(source);
    assertEquals(0, migrate(SOURCE, DESTINATION).status());

    TestLogs.generate(source, 65536 + 300); // the log grew; entries are a function of their index
    upload(source);
    Cli.Result r = migrate(SOURCE, DESTINATION);

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("committed size 300; copying 65536 entries"), r.out());
    assertMirrorEquals(source, 65536 + 300);

    Cli.Result again = migrate(SOURCE, DESTINATION);
    assertEquals(0, again.status(), again.all());
    assertTrue(again.out().contains("nothing to do"), again.out());
  }

  @Test
  void aDestinationAheadOfTheSourceIsRefusedAndLeftAlone() throws IOException {
    Path big = TestLogs.generate(tmp.resolve("big"), 600);
    try (StaticLogServer server = new StaticLogServer(big)) {
      assertEquals(0, migrate(server.url(), DESTINATION).status());
    }
    byte[] state = GCS.objects(DEST_BUCKET, "mirrors/example/").get(".state/treeState");
    Path small = TestLogs.generate(tmp.resolve("small"), 500);
    upload(small);

    Cli.Result r = migrate(SOURCE, DESTINATION);

    assertEquals(1, r.status());
    assertTrue(r.err().contains("ahead of the source checkpoint's 500"), r.err());
    assertArrayEquals(state, GCS.objects(DEST_BUCKET, "mirrors/example/").get(".state/treeState"));
  }

  @Test
  void aRunWhoseTreeStateAnotherJobAdvancedCommitsNothing() throws IOException {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    upload(source);
    assertEquals(0, migrate(SOURCE, DESTINATION).status());
    byte[] checkpoint = GCS.objects(DEST_BUCKET, "mirrors/example/").get("checkpoint");
    TestLogs.generate(source, 1000);
    upload(source);
    byte[] other = new TreeState(600, new byte[32]).toJson();
    // Another job commits after this run planned (from size 300) and just before it commits.
    Cli.Result r;
    try (GcsFaultProxy proxy = new GcsFaultProxy(GCS.endpoint())) {
      proxy.beforeFirst(
          q -> q.uploads("mirrors/example/.state/treeState"),
          () -> GCS.put(DEST_BUCKET, "mirrors/example/.state/treeState", other));
      r = migrateVia(proxy.endpoint(), SOURCE, DESTINATION);
    }

    assertEquals(1, r.status(), r.all());
    assertTrue(r.err().contains(".state/treeState") && r.err().contains("nothing"), r.err());
    Map<String, byte[]> objects = GCS.objects(DEST_BUCKET, "mirrors/example/");
    assertArrayEquals(other, objects.get(".state/treeState"), "the other job's commit stands");
    assertArrayEquals(checkpoint, objects.get("checkpoint"), "no checkpoint without a commit");
  }

  @Test
  void aLateCheckpointFromAnOlderJobDoesNotMoveThePublishedOneBack() throws IOException {
    Path older = TestLogs.generate(tmp.resolve("older"), 300);
    Path newer = TestLogs.generate(tmp.resolve("newer"), 600); // the same log, further on
    upload(GCS, older, SOURCE_BUCKET, "logs/older/");
    upload(GCS, newer, SOURCE_BUCKET, "logs/newer/");

    // The older job has committed its tree state (300); a newer job runs to the end (600) before
    // the older one writes its checkpoint.
    Cli.Result late;
    Cli.Result[] newerRun = new Cli.Result[1];
    try (GcsFaultProxy proxy = new GcsFaultProxy(GCS.endpoint())) {
      proxy.beforeFirst(
          q -> q.uploads("mirrors/example/checkpoint"),
          () -> newerRun[0] = migrate("gs://" + SOURCE_BUCKET + "/logs/newer", DESTINATION));
      late = migrateVia(proxy.endpoint(), "gs://" + SOURCE_BUCKET + "/logs/older", DESTINATION);
    }

    assertEquals(0, newerRun[0].status(), newerRun[0].all());
    assertEquals(0, late.status(), late.all());
    Map<String, byte[]> got = GCS.objects(DEST_BUCKET, "mirrors/example/");
    Cli.files(newer)
        .forEach(
            (name, bytes) ->
                assertArrayEquals(bytes, got.get(name), name + " differs")); // checkpoint included
  }

  @Test
  void gcsToDirectory() throws IOException {
    Path source = TestLogs.generate(tmp.resolve("source"), 65536 + 256 + 1);
    upload(source);
    Path mirror = tmp.resolve("mirror");

    Cli.Result r = migrate(SOURCE, mirror.toString());

    assertEquals(0, r.status(), r.all());
    TreeAssertions.assertSameFiles(source, mirror);
  }

  @Test
  void staticCtIntoGcsWithItsIssuers() throws IOException {
    Path source = tmp.resolve("static-ct");
    new LogGenerator(source, StaticCtTestLog.LOG_KEY, LogFormat.STATIC_CT, 5, 200, 1500)
        .generate(StaticCtTestLog.SIZE);
    upload(source);

    Cli.Result r =
        migrate(
            SOURCE,
            DESTINATION,
            "--format=static-ct",
            "--sourcePublicKey=" + StaticCtTestLog.PUBLIC_KEY);

    assertEquals(0, r.status(), r.all());
    Map<String, byte[]> want = Cli.files(source);
    Map<String, byte[]> got = GCS.objects(DEST_BUCKET, "mirrors/example/");
    assertEquals(want.keySet(), got.keySet(), "object set differs");
    want.forEach((name, bytes) -> assertArrayEquals(bytes, got.get(name), name + " differs"));
    String issuer =
        got.keySet().stream().filter(n -> n.startsWith("issuer/")).findFirst().orElseThrow();
    assertEquals(
        "application/pkix-cert",
        GCS.metadata(DEST_BUCKET, "mirrors/example/" + issuer).getContentType());
  }

  @Test
  void everyRequestCarriesTheCredentialsOfTheImpersonatedServiceAccount() throws IOException {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    upload(source);
    String account = "migrator@tlog-project.iam.gserviceaccount.com";

    Cli.Result r;
    List<String> authorizations;
    try (GcsFaultProxy proxy = new GcsFaultProxy(GCS.endpoint())) {
      r =
          Cli.migrate(
              SOURCE,
              DESTINATION,
              TestLogs.VKEY,
              "--gcsEndpoint=" + proxy.endpoint(),
              "--credentialFactoryClass=" + TokenCredentialFactory.class.getName(),
              "--impersonateServiceAccount=" + account);
      authorizations = proxy.authorizations();
    }

    assertEquals(0, r.status(), r.all());
    assertTrue(authorizations.size() > 10, authorizations.toString());
    assertEquals(
        List.of("Bearer " + TokenCredentialFactory.tokenFor(account)),
        authorizations.stream().distinct().toList());
    assertMirrorEquals(source, 300);
  }
}
