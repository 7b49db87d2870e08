package dev.tlogmigrate.launcher.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.peers.Tesseract;
import dev.tlogmigrate.launcher.peers.TesseractServer;
import dev.tlogmigrate.launcher.testing.AntispamRows;
import dev.tlogmigrate.launcher.testing.BucketLogs;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.SignedNote;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.testing.GoPrograms;
import dev.tlogmigrate.transforms.testing.S3Server;
import dev.tlogmigrate.transforms.testing.TestProcesses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TesseraCT v0.1.1 on AWS ({@code cmd/tesseract/aws}, built from our module in {@code
 * src/test/go/tesseract}) takes over a static-ct log that tlog-migrate moved from TesseraCT's own
 * POSIX storage into an S3 bucket (s3proxy), its MySQL database and its MySQL antispam index
 * (MariaDB): chains already in the log get SCTs whose {@code leaf_index} extension is their
 * original index, new chains get the next indices, and nothing is pushed back, although TesseraCT
 * runs with a pushback threshold below the log's size, so that a follower left to read the log
 * itself would push back.
 */
class TesseractAwsTakeoverTest {
  static final String SERVER_PACKAGE = "github.com/transparency-dev/tesseract/cmd/tesseract/aws";
  private static final String BUCKET = "tesseract-log";
  private static final String ORIGIN = "tesseract-aws.tlog-migrate.test/log";

  /** Past the first data tile: a partial second one at the take-over. */
  private static final int N = 301;

  @RegisterExtension static final MariaDbServer MYSQL = new MariaDbServer();
  @RegisterExtension static final S3Server S3 = new S3Server(BUCKET);

  @TempDir Path tmp;

  @Test
  void tesseractOnAwsAnswersChainsOfTheLogWithTheirIndexAndContinuesTheLog() throws Exception {
    Tesseract tesseract = Tesseract.withNewPki(tmp.resolve("pki"));
    Path posix = tmp.resolve("posix");
    Path precert = tmp.resolve("precert.json");
    Path cert = tmp.resolve("cert.json");
    try (TesseractServer server = tesseract.start(posix, ORIGIN, Duration.ZERO)) {
      assertEquals(List.of(0L), server.submit(1, 1, precert)); // odd serials: pre-certificates
      assertEquals(List.of(1L), server.submit(2, 1, cert));
      server.submit(3, N - 2, null);
      server.awaitCheckpoint(N);
    }
    String db = MYSQL.newDatabase();
    String antispam = MYSQL.newDatabase();
    Cli.Result moved =
        BucketLogs.migrateVia(
            S3,
            S3.endpoint(),
            posix.toString(),
            "s3://" + BUCKET,
            "--format=static-ct",
            "--sourcePublicKey=" + tesseract.publicKey(),
            "--tesseraMySqlUrl=" + MYSQL.url(db),
            "--tesseraMySqlUser=" + MariaDbServer.USER,
            "--tesseraMySqlPassword=" + MariaDbServer.PASSWORD,
            "--antispamDatabase=" + antispam);
    assertEquals(0, moved.status(), moved.all());
    assertEquals(N, nextIdx(antispam), "the follower starts where the log ends");

    try (Server aws = Server.start(tesseract, db, antispam)) {
      // At once, before TesseraCT's follower first looks: the answers come from our rows.
      assertEquals("0", aws.harness("resubmit", "-request", precert.toString()));
      assertEquals("1", aws.harness("resubmit", "-request", cert.toString()));
      Thread.sleep(1500); // past the follower's first look: a follower behind would push back
      List<Long> added =
          aws.harness("submit", "-dir", tesseract.pki.toString(), "-first", "1001", "-n", "20")
              .lines()
              .map(l -> Long.parseLong(l.split(" ")[2]))
              .sorted()
              .toList();
      assertEquals(LongStream.range(N, N + 20).boxed().toList(), added);
      aws.awaitCheckpoint(N + 20);
    }

    Path copy = tmp.resolve("copy");
    Cli.Result copied =
        BucketLogs.migrateVia(
            S3,
            S3.endpoint(),
            "s3://" + BUCKET,
            copy.toString(),
            "--format=static-ct",
            "--sourcePublicKey=" + tesseract.publicKey());
    assertEquals(0, copied.status(), copied.all());
    for (long i = 0; i < N; i++) {
      assertEquals(
          AntispamRows.identity(posix, LogFormat.STATIC_CT, N, i),
          AntispamRows.identity(copy, LogFormat.STATIC_CT, N + 20, i),
          "entry " + i);
    }
    assertArrayEquals(hashes(posix, N, 0), hashes(copy, N + 20, 0));
    assertArrayEquals(
        hashes(posix, N, 1), Arrays.copyOf(hashes(copy, N + 20, 1), (N - 256) * Tiles.HASH_SIZE));
  }

  /** The level-0 hash tile of bundle {@code index} of the log of {@code size} entries in dir. */
  private static byte[] hashes(Path dir, long size, long index) throws IOException {
    return Files.readAllBytes(
        dir.resolve(TilePath.hashTile(0, index, Tiles.bundleWidth(size, index)).path()));
  }

  private static long nextIdx(String antispam) throws Exception {
    try (Connection c = MYSQL.connect(antispam);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT nextIdx FROM AntispamFollowCoord WHERE id = 0")) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  /** TesseraCT's AWS server on the bucket, the log's database and its antispam index. */
  private static final class Server implements AutoCloseable {
    private final Tesseract tesseract;
    private final Process process;
    private final Path log;
    private final Thread stopAtExit;
    private final String url;

    private Server(Tesseract tesseract, Process process, Path log, Thread stopAtExit, int port) {
      this.tesseract = tesseract;
      this.process = process;
      this.log = log;
      this.stopAtExit = stopAtExit;
      this.url = "http://127.0.0.1:" + port;
    }

    static Server start(Tesseract tesseract, String db, String antispam) throws Exception {
      Path binary = GoPrograms.build(Tesseract.MODULE, SERVER_PACKAGE, "tesseract-aws");
      int port = TestProcesses.freeLoopbackPort();
      Path log = Files.createTempFile("tesseract-aws", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  binary.toString(),
                  "--http_endpoint=127.0.0.1:" + port,
                  "--origin=" + ORIGIN,
                  "--roots_pem_file=" + tesseract.pki.resolve("roots.pem"),
                  "--signer_public_key_file=" + tesseract.pki.resolve("log-public-key.pem"),
                  "--signer_private_key_file=" + tesseract.pki.resolve("log-key.pem"),
                  "--bucket=" + BUCKET,
                  "--s3_use_path_style",
                  "--db_host=127.0.0.1",
                  "--db_port=" + MYSQL.port(),
                  "--db_user=" + MariaDbServer.USER,
                  "--db_password=" + MariaDbServer.PASSWORD,
                  "--db_name=" + db,
                  "--antispam_db_name=" + antispam,
                  // Far below the log's size: a follower that had to read the log would push back.
                  "--pushback_max_antispam_lag=100",
                  "--checkpoint_interval=1s",
                  "--garbage_collection_interval=0")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      // Path-style S3 takes its endpoint, keys and region from the environment; the instance
      // metadata service is never asked.
      pb.environment().put("AWS_ENDPOINT_URL_S3", S3.endpoint());
      pb.environment().put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
      pb.environment().put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
      pb.environment().put("AWS_DEFAULT_REGION", S3Server.REGION);
      pb.environment().putAll(TesseraAws.LOOPBACK_ONLY);
      Process process = pb.start();
      Thread stopAtExit = new Thread(process::destroyForcibly, "stop-tesseract-aws");
      Runtime.getRuntime().addShutdownHook(stopAtExit);
      Server s = new Server(tesseract, process, log, stopAtExit, port);
      s.awaitListening(port);
      return s;
    }

    private void awaitListening(int port) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new AssertionError("TesseraCT exited with " + process.exitValue() + output());
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
          return;
        } catch (IOException notYet) {
          Thread.sleep(20);
        }
      }
      throw new AssertionError("TesseraCT is not listening" + output());
    }

    /** ctharness against this server, failing on any pushback; what it printed, stripped. */
    String harness(String command, String... args) throws IOException {
      List<String> all = new java.util.ArrayList<>(List.of(command, "-url", url, "-no_pushback"));
      all.addAll(List.of(args));
      try {
        return tesseract.harness(all.toArray(String[]::new)).strip();
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + output(), e);
      }
    }

    void awaitCheckpoint(long size) throws Exception {
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
      throw new AssertionError("TesseraCT's checkpoint is at " + seen + ", not " + size + output());
    }

    private String output() throws IOException {
      List<String> lines = Files.readAllLines(log);
      return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() throws Exception {
      TestProcesses.stop(process, log, stopAtExit);
    }
  }
}
