package dev.tlogmigrate.launcher.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.StaticCtTestLog;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.testing.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Whole migrations into, out of and between S3 buckets through the command line on the
 * DirectRunner, against s3proxy on loopback ({@link S3Server}), which checks every request's AWS
 * signature: the command line reaches it with {@code --s3Endpoint} (path-style) and finds the
 * credentials in the SDK's default chain. Copies are compared byte for byte with the generator's
 * files.
 */
class S3MigrationTest {
  private static final String SOURCE_BUCKET = "tlog-source";
  private static final String DEST_BUCKET = "tlog-mirror";
  private static final String SOURCE = "s3://" + SOURCE_BUCKET + "/logs/example";
  private static final String DESTINATION = "s3://" + DEST_BUCKET + "/mirrors/example";

  @RegisterExtension static final S3Server S3 = new S3Server(SOURCE_BUCKET, DEST_BUCKET);

  @TempDir Path tmp;

  private static Cli.Result migrate(String source, String destination, String... extra) {
    return S3Logs.migrateVia(S3.endpoint(), source, destination, extra);
  }

  private void upload(Path dir) {
    S3Logs.upload(S3, dir, SOURCE_BUCKET, "logs/example/");
  }

  private void assertMirrorEquals(Path source, long size) {
    S3Logs.assertHolds(S3, DEST_BUCKET, "mirrors/example/", source, size);
    for (String name : S3.objects(DEST_BUCKET, "mirrors/example/").keySet()) {
      HeadObjectResponse meta = S3.metadata(DEST_BUCKET, "mirrors/example/" + name);
      String cache = name.startsWith("tile/") ? "max-age=604800,immutable" : "no-cache";
      assertEquals(cache, meta.cacheControl(), name);
    }
  }

  @Test
  void httpToS3() throws IOException {
    long size = 65536 + 256 + 1;
    Path source = TestLogs.generate(tmp.resolve("source"), size);

    try (StaticLogServer server = new StaticLogServer(source)) {
      Cli.Result r = migrate(server.url(), DESTINATION);
      assertEquals(0, r.status(), r.all());
      assertTrue(r.out().contains("destination " + DESTINATION + "/: committed size 0"), r.out());
    }
    assertMirrorEquals(source, size);
    assertTrue(Files.notExists(Path.of("s3:")), "an s3:// location was taken for a local path");
  }

  @Test
  void s3ToS3ToADirectoryAndAnAuditInPlace() throws IOException {
    long size = 1000;
    Path source = TestLogs.generate(tmp.resolve("source"), size);
    upload(source);

    Cli.Result intoS3 = migrate(SOURCE, DESTINATION);
    assertEquals(0, intoS3.status(), intoS3.all());
    assertTrue(intoS3.out().contains("committed tree size " + size), intoS3.out());
    assertMirrorEquals(source, size);

    Path mirror = tmp.resolve("mirror");
    Cli.Result outOfS3 = migrate(DESTINATION, mirror.toString());
    assertEquals(0, outOfS3.status(), outOfS3.all());
    TreeAssertions.assertSameFiles(source, mirror);

    Cli.Result audit =
        Cli.run(
            "verify",
            "--source=" + DESTINATION,
            "--sourceVerifierKey=" + TestLogs.VKEY,
            "--progressIntervalSeconds=0",
            S3Server.flags(S3.endpoint()).get(0),
            S3Server.flags(S3.endpoint()).get(1));
    assertEquals(0, audit.status(), audit.all());
  }

  @Test
  void aMirrorKeptInSyncCopiesOnlyWhatIsNew() throws IOException {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    upload(source);
    assertEquals(0, migrate(SOURCE, DESTINATION).status());

    TestLogs.generate(source, 1300); // the log grew; entries are a function of their index
    upload(source);
    Cli.Result r = migrate(SOURCE, DESTINATION);

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("committed size 300; copying 1000 entries in 5 bundles"), r.out());
    assertMirrorEquals(source, 1300);

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
    byte[] state = S3.objects(DEST_BUCKET, "mirrors/example/").get(".state/treeState");
    upload(TestLogs.generate(tmp.resolve("small"), 500));

    Cli.Result r = migrate(SOURCE, DESTINATION);

    assertEquals(1, r.status());
    assertTrue(r.err().contains("ahead of the source checkpoint's 500"), r.err());
    assertArrayEquals(state, S3.objects(DEST_BUCKET, "mirrors/example/").get(".state/treeState"));
  }

  @Test
  void staticCtIntoS3WithGzipDataTilesAndItsIssuers() throws IOException {
    Path source = tmp.resolve("static-ct");
    new LogGenerator(source, StaticCtTestLog.LOG_KEY, LogFormat.STATIC_CT, 5, 200, 1500)
        .generate(StaticCtTestLog.SIZE);
    upload(source); // data tiles stored gzip-encoded

    Cli.Result r =
        migrate(
            SOURCE,
            DESTINATION,
            "--format=static-ct",
            "--sourcePublicKey=" + StaticCtTestLog.PUBLIC_KEY);

    assertEquals(0, r.status(), r.all());
    Map<String, byte[]> want = Cli.files(source);
    Map<String, byte[]> got = S3.objects(DEST_BUCKET, "mirrors/example/");
    assertEquals(want.keySet(), got.keySet(), "object set differs");
    want.forEach((name, bytes) -> assertArrayEquals(bytes, got.get(name), name + " differs"));
    String issuer =
        got.keySet().stream().filter(n -> n.startsWith("issuer/")).findFirst().orElseThrow();
    assertEquals(
        "application/pkix-cert",
        S3.metadata(DEST_BUCKET, "mirrors/example/" + issuer).contentType());
  }

  @Test
  void wrongCredentialsAreOneLineNamingTheObjectWithoutTheSecret() throws IOException {
    upload(TestLogs.generate(tmp.resolve("source"), 10));
    String secret = System.getProperty("aws.secretAccessKey");
    Cli.Result r;
    try {
      System.setProperty("aws.secretAccessKey", "not-the-secret");
      r = migrate(SOURCE, tmp.resolve("mirror").toString());
    } finally {
      System.setProperty("aws.secretAccessKey", secret);
    }

    assertEquals(1, r.status(), r.all());
    assertTrue(
        r.err().contains("S3 read " + SOURCE + "/checkpoint: HTTP 403 SignatureDoesNotMatch"),
        r.err());
    assertFalse(r.all().contains("not-the-secret"), r.all());
  }

  @Test
  void aLocalDirectoryIsRefusedForRemoteWorkersButAnS3BucketIsNot() {
    Cli.Result r = migrate(SOURCE, tmp.resolve("mirror").toString(), "--runner=DataflowRunner");
    assertEquals(1, r.status(), r.all());
    assertTrue(r.err().contains("give a gs:// or s3:// location"), r.err());
  }
}
