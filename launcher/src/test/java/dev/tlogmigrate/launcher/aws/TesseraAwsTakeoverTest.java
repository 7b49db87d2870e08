package dev.tlogmigrate.launcher.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.BucketLogs;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.EntryBundle;
import dev.tlogmigrate.transforms.format.SignedNote;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.testing.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Tessera on AWS (v1.0.4, its {@code cmd/conformance/aws} server) takes over a log that
 * tlog-migrate moved into an S3 bucket (s3proxy) and a MySQL database (MariaDB): it starts on them,
 * gives the entries it is sent the indices N, N+1, ..., integrates them across bundle boundaries
 * and publishes a checkpoint; tlog-migrate then verifies and copies the grown log, whose first N
 * entries are the source's and whose next K are those Tessera was sent.
 */
class TesseraAwsTakeoverTest {
  /** A partial bundle and partial tiles at the take-over. */
  static final long N = 700;

  /** Appended by Tessera: bundles 2 and 3 fill up, 768 and 1024 are crossed. */
  static final int K = 400;

  private static final String BUCKET = "tessera-aws-log";

  @RegisterExtension static final MariaDbServer MYSQL = new MariaDbServer();
  @RegisterExtension static final S3Server S3 = new S3Server(BUCKET);

  @TempDir Path tmp;

  @Test
  void tesseraOnAwsContinuesTheMigratedLogAtItsSize() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), N);
    String db = MYSQL.newDatabase();
    try (StaticLogServer server = new StaticLogServer(source)) {
      Cli.Result r =
          BucketLogs.migrateVia(
              S3,
              S3.endpoint(),
              server.url(),
              "s3://" + BUCKET,
              "--tesseraMySqlUrl=" + MYSQL.url(db),
              "--tesseraMySqlUser=" + MariaDbServer.USER,
              "--tesseraMySqlPassword=" + MariaDbServer.PASSWORD);
      assertEquals(0, r.status(), r.all());
      assertTrue(r.out().contains("IntCoord at size " + N), r.out());
    }

    List<byte[]> added = new ArrayList<>();
    for (int i = 0; i < K; i++) {
      added.add(("entry " + i + " added by Tessera on AWS").getBytes(StandardCharsets.UTF_8));
    }
    List<Long> indices;
    try (TesseraAws.Server tessera = TesseraAws.start(MYSQL, db, S3.endpoint(), BUCKET)) {
      indices = tessera.add(added);

      assertEquals(
          LongStream.range(N, N + K).boxed().toList(),
          indices.stream().sorted().toList(),
          "Tessera continues at N, with no index given twice");
      awaitCheckpoint(N + K, tessera);
    }
    assertTrue(
        new TesseraMySqlRows(MYSQL, db).dump().contains("SeqCoord(0," + (N + K) + ")"),
        new TesseraMySqlRows(MYSQL, db).dump().toString());

    Path copy = tmp.resolve("copy");
    Cli.Result verified =
        BucketLogs.migrateVia(S3, S3.endpoint(), "s3://" + BUCKET, copy.toString());
    assertEquals(0, verified.status(), verified.all());
    assertTrue(verified.out().contains("committed tree size " + (N + K)), verified.out());
    for (long i = 0; i < N; i++) {
      assertArrayEquals(entry(source, i), entry(copy, i), "entry " + i);
    }
    for (int i = 0; i < K; i++) {
      assertArrayEquals(added.get(i), entry(copy, indices.get(i)), "entry " + indices.get(i));
    }
  }

  /** Until Tessera's checkpoint in the bucket is at {@code size}. */
  private static void awaitCheckpoint(long size, TesseraAws.Server tessera) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long seen = -1;
    while (System.nanoTime() < deadline) {
      byte[] note = S3.stored(BUCKET, "checkpoint");
      seen = Checkpoint.parse("checkpoint", SignedNote.parse("checkpoint", note).text()).size();
      if (seen == size) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "Tessera's checkpoint is at " + seen + ", not " + size + ":\n" + tessera.output());
  }

  /** Entry {@code index} of the log in {@code dir}, from the full or partial bundle holding it. */
  static byte[] entry(Path dir, long index) throws Exception {
    long bundle = index / Tiles.WIDTH;
    Path full = dir.resolve(TilePath.entryBundle(bundle, Tiles.WIDTH).path());
    Path file = full;
    int width = Tiles.WIDTH;
    if (!Files.exists(full)) {
      try (Stream<Path> partials = Files.list(full.resolveSibling(full.getFileName() + ".p"))) {
        file = partials.findFirst().orElseThrow();
      }
      width = Integer.parseInt(file.getFileName().toString());
    }
    return EntryBundle.parse(Files.readAllBytes(file), width, file.toString())
        .entry((int) (index % Tiles.WIDTH));
  }
}
