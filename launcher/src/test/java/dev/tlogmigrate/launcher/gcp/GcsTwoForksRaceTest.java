package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.BucketLogs;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two jobs copy a split view (two forks of one log: same origin, same key, same size, other
 * entries) into one bucket on fake-gcs-server at once. Job A has written all its tiles and is about
 * to commit when job B runs from start to end; B would commit too, but its tree state write is
 * refused (it dies there). Whatever happens, the bucket must not end with A's verified tree state
 * over B's tiles: tiles are written create-only and never overwritten, so B fails at its first tile
 * and A commits over exactly its own fork.
 */
class GcsTwoForksRaceTest {
  private static final String SOURCE_BUCKET = "forks";
  private static final String DEST_BUCKET = "one-mirror";
  private static final String DESTINATION = "gs://" + DEST_BUCKET + "/log";

  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(SOURCE_BUCKET, DEST_BUCKET);

  @TempDir Path tmp;

  @Test
  void aJobCopyingAnotherForkCannotLeaveItsTilesUnderTheOthersTreeState() throws Exception {
    long size = 600; // bundles and level-0 tiles 000, 001 and 002.p/88; level 1 000.p/2
    Path forkA = TestLogs.generate(tmp.resolve("a"), size);
    Path forkB = tmp.resolve("b");
    new LogGenerator(forkB, TestLogs.SIGNER, 8, 0, 64).generate(size);
    BucketLogs.upload(GCS, forkA, SOURCE_BUCKET, "a/");
    BucketLogs.upload(GCS, forkB, SOURCE_BUCKET, "b/");

    AtomicReference<Cli.Result> b = new AtomicReference<>();
    Cli.Result a;
    try (GcsFaultProxy proxyA = new GcsFaultProxy(GCS.endpoint());
        GcsFaultProxy proxyB = new GcsFaultProxy(GCS.endpoint())) {
      proxyB.answerFirst(q -> q.uploads("log/.state/treeState"), 400);
      proxyA.beforeFirst(
          q -> q.uploads("log/.state/treeState"),
          () ->
              b.set(
                  BucketLogs.migrateVia(
                      GCS, proxyB.endpoint(), "gs://" + SOURCE_BUCKET + "/b", DESTINATION)));
      a =
          BucketLogs.migrateVia(
              GCS, proxyA.endpoint(), "gs://" + SOURCE_BUCKET + "/a", DESTINATION);
    }

    Map<String, byte[]> got = GCS.objects(DEST_BUCKET, "log/");
    if (got.containsKey(
        ".state/treeState")) { // whoever committed, the tiles under its tree state are its own
      Map<String, byte[]> want =
          Cli.files(
              new String(got.get("checkpoint"), StandardCharsets.UTF_8)
                      .equals(Files.readString(forkA.resolve("checkpoint")))
                  ? forkA
                  : forkB);
      assertEquals(want.keySet(), got.keySet());
      want.forEach(
          (name, bytes) ->
              assertArrayEquals(
                  bytes, got.get(name), name + " is another fork's than the tree state's"));
    }
    assertEquals(0, a.status(), a.all());
    assertEquals(Cli.files(forkA).keySet(), got.keySet());
    assertEquals(1, b.get().status(), b.get().all());
    assertTrue(b.get().err().contains("already holds other bytes"), b.get().err());
  }
}
