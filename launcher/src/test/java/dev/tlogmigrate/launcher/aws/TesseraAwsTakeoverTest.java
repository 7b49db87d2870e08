package dev.tlogmigrate.launcher.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.peers.CloudTakeover;
import dev.tlogmigrate.launcher.testing.AntispamRows;
import dev.tlogmigrate.launcher.testing.BucketLogs;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.LogEntries;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.SignedNote;
import dev.tlogmigrate.transforms.testing.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
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
      assertArrayEquals(LogEntries.entry(source, i), LogEntries.entry(copy, i), "entry " + i);
    }
    for (int i = 0; i < K; i++) {
      assertArrayEquals(
          added.get(i), LogEntries.entry(copy, indices.get(i)), "entry " + indices.get(i));
    }
  }

  /**
   * Tessera's own antispam on AWS ({@code storage/aws/antispam} v1.0.4, through our harness's
   * {@code aws} mode with the {@code storage/aws} appender) on a log that tlog-migrate moved into a
   * bucket prefix with its antispam index filled: the follower is caught up before it first runs,
   * nothing is pushed back, and entries of the log added again (a duplicate among them) get their
   * first index. The entries added again go in before the follower's first look (a second after
   * start): their answers come from the rows the migration wrote.
   */
  @Test
  void tesserasAntispamFindsItsFollowerCaughtUpAndTheOriginalIndices() throws Exception {
    long n = 3000; // above the 2,048 entries of lag at which a follower pushes back
    Path source = TestLogs.generate(tmp.resolve("source"), n);
    String db = MYSQL.newDatabase();
    String antispam = MYSQL.newDatabase();
    try (StaticLogServer server = new StaticLogServer(source)) {
      Cli.Result r =
          BucketLogs.migrateVia(
              S3,
              S3.endpoint(),
              server.url(),
              "s3://" + BUCKET + "/logs/x",
              "--tesseraMySqlUrl=" + MYSQL.url(db),
              "--tesseraMySqlUser=" + MariaDbServer.USER,
              "--tesseraMySqlPassword=" + MariaDbServer.PASSWORD,
              "--antispamDatabase=" + antispam);
      assertEquals(0, r.status(), r.all());
    }
    Map<String, Long> first = AntispamRows.expected(source, LogFormat.TLOG_TILES, 0, n);
    long dup = 2000;
    while (first.get(AntispamRows.identity(source, LogFormat.TLOG_TILES, n, dup)) == dup) {
      dup++;
    }

    CloudTakeover t =
        CloudTakeover.run(
            "aws",
            List.of(
                "--s3_endpoint=" + S3.endpoint(),
                "--s3_access_key=" + S3Server.ACCESS_KEY,
                "--s3_secret=" + S3Server.SECRET_KEY,
                "--bucket=" + BUCKET,
                "--bucket_prefix=logs/x",
                "--db_port=" + MYSQL.port(),
                "--db_user=" + MariaDbServer.USER,
                "--db_password=" + MariaDbServer.PASSWORD,
                "--db_name=" + db,
                "--antispam_db_name=" + antispam,
                "--count=300",
                "--batches=2",
                "--readd=0,2815,2999," + dup),
            TesseraAws.LOOPBACK_ONLY);

    assertEquals(0, t.status(), t.log());
    assertEquals(List.of(n, n), List.of(t.followerStart(), t.followerTree()), "caught up");
    assertEquals(
        Map.of(
            0L,
            new CloudTakeover.Readd(0, true),
            2815L,
            new CloudTakeover.Readd(2815, true),
            2999L,
            new CloudTakeover.Readd(2999, true),
            dup,
            new CloudTakeover.Readd(
                first.get(AntispamRows.identity(source, LogFormat.TLOG_TILES, n, dup)), true)),
        t.readds(),
        "entries added again get their original (first) index");
    assertEquals(0, t.pushbacks(), t.log());
    assertEquals(n + 300, t.checkpoint());
    assertEquals(n + 300, t.followerEnd());
    Path copy = tmp.resolve("copy");
    Cli.Result copied =
        BucketLogs.migrateVia(S3, S3.endpoint(), "s3://" + BUCKET + "/logs/x", copy.toString());
    assertEquals(0, copied.status(), copied.all());
    List<byte[]> got = LogEntries.entries(copy, n + 300);
    List<byte[]> want = new ArrayList<>(LogEntries.entries(source, n));
    want.addAll(new TreeMap<>(t.added()).values());
    for (int i = 0; i < n + 300; i++) {
      assertArrayEquals(want.get(i), got.get(i), "entry " + i);
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
}
