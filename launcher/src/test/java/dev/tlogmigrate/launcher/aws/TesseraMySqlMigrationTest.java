package dev.tlogmigrate.launcher.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.BucketLogs;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.SignedNote;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy;
import dev.tlogmigrate.transforms.testing.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations into Tessera on AWS through the real command line: an HTTP source, the bucket on
 * s3proxy ({@link S3Server}), the database a fresh one on a real MariaDB ({@link MariaDbServer}),
 * or one that Tessera's own AWS server initialised, reached through {@code --tesseraMySqlUrl},
 * {@code --tesseraMySqlUser} and {@code --tesseraMySqlPassword}. Afterwards the bucket holds the
 * source byte for byte and MySQL the rows a Tessera AWS appender continues from: Tessera(0,1),
 * SeqCoord(0,N), IntCoord(0,N,root), and PubCoord and GCCoord as Tessera creates them (or as they
 * were). The server takes unsigned requests, so that a fault proxy can stand in front of it;
 * S3MigrationTest checks signatures.
 */
class TesseraMySqlMigrationTest {
  private static final String BUCKET = "tessera-aws-log";

  /** The bucket's root: where Tessera's AWS conformance server serves a log from. */
  private static final String DESTINATION = "s3://" + BUCKET;

  private static final long PUBLISHED = 1748779200;
  private static final String FRESH_PUB = "PubCoord(0,0,0)";
  private static final String FRESH_GC = "GCCoord(0,0)";

  @RegisterExtension static final MariaDbServer MYSQL = new MariaDbServer();
  @RegisterExtension static final S3Server S3 = S3Server.withoutAuthorization(BUCKET);

  /** A database whose tables and rows Tessera's own AWS server created, once. */
  private static String tesseras;

  @TempDir Path tmp;

  @BeforeAll
  static void tesseraInitialisesADatabase() throws Exception {
    tesseras = MYSQL.newDatabase();
    TesseraAws.initDb(MYSQL, tesseras);
  }

  private static Cli.Result migrate(String source, String database, String... extra) {
    return migrateVia(S3.endpoint(), source, database, extra);
  }

  private static Cli.Result migrateVia(
      String s3Endpoint, String source, String database, String... extra) {
    List<String> args = new ArrayList<>(Arrays.asList(extra));
    if (database != null) {
      args.addAll(flags(database));
    }
    return BucketLogs.migrateVia(S3, s3Endpoint, source, DESTINATION, args.toArray(String[]::new));
  }

  private static List<String> flags(String database) {
    return List.of(
        "--tesseraMySqlUrl=" + MYSQL.url(database),
        "--tesseraMySqlUser=" + MariaDbServer.USER,
        "--tesseraMySqlPassword=" + MariaDbServer.PASSWORD);
  }

  /** A log in the bucket as Tessera's AWS storage leaves it: no .state/ objects. */
  private static void uploadAsTessera(Path dir) {
    Cli.files(dir)
        .forEach(
            (name, bytes) -> {
              if (!name.startsWith(".state/")) {
                S3.put(BUCKET, name, bytes);
              }
            });
  }

  private static Map<String, byte[]> bucket() {
    return S3.objects(BUCKET, "");
  }

  private static void assertBucketEquals(Path source) {
    Map<String, byte[]> want = Cli.files(source);
    Map<String, byte[]> got = bucket();
    assertEquals(want.keySet(), got.keySet(), "object set differs");
    want.forEach((name, bytes) -> assertArrayEquals(bytes, got.get(name), name + " differs"));
  }

  private static String rootOf(Path log) throws IOException {
    byte[] note = Files.readAllBytes(log.resolve("checkpoint"));
    return Checkpoint.parse("checkpoint", SignedNote.parse("checkpoint", note).text()).rootBase64();
  }

  private static List<String> rows(String database) throws SQLException {
    return new TesseraMySqlRows(MYSQL, database).dump();
  }

  private static List<String> takenOver(long size, String root, String pubCoord, String gcCoord) {
    return List.of(
        "Tessera(0,1)",
        "SeqCoord(0," + size + ")",
        TesseraMySqlRows.intCoord(size, root),
        pubCoord,
        gcCoord);
  }

  @Test
  void aFreshDatabaseGetsTesserasTablesAndTheVerifiedTree() throws Exception {
    long size = 1000;
    Path source = TestLogs.generate(tmp.resolve("source"), size);
    String db = MYSQL.newDatabase();
    try (StaticLogServer server = new StaticLogServer(source)) {
      Cli.Result r = migrate(server.url(), db);

      assertEquals(0, r.status(), r.all());
      assertTrue(r.out().contains("committed size 0; copying " + size + " entries"), r.out());
      assertTrue(
          r.out().contains("Tessera database " + MYSQL.url(db) + " as tessera: IntCoord at size"),
          r.out());
      assertBucketEquals(source);
      assertEquals(takenOver(size, rootOf(source), FRESH_PUB, FRESH_GC), rows(db));

      // The password from a file this time, as a secret store leaves it (with a newline).
      Path passwordFile = tmp.resolve("db-password");
      Files.writeString(passwordFile, MariaDbServer.PASSWORD + "\n");
      Cli.Result again =
          migrate(
              server.url(),
              null,
              "--tesseraMySqlUrl=" + MYSQL.url(db),
              "--tesseraMySqlUser=" + MariaDbServer.USER,
              "--tesseraMySqlPasswordFile=" + passwordFile);
      assertEquals(0, again.status(), again.all());
      assertTrue(again.out().contains("nothing to do"), again.out());
      assertEquals(takenOver(size, rootOf(source), FRESH_PUB, FRESH_GC), rows(db));
      assertFalse(
          r.all().contains(MariaDbServer.PASSWORD) || again.all().contains(MariaDbServer.PASSWORD));
    }
  }

  @Test
  void anExistingTesseraLogAtASmallerSizeIsExtendedFromItsIntCoord() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    uploadAsTessera(source); // Tessera's bucket: tiles, bundles, its checkpoint; no .state/
    String db = MYSQL.copyOf(tesseras, TesseraMySqlRows.TABLES);
    new TesseraMySqlRows(MYSQL, db)
        .set(1, 300, 300, Base64.getDecoder().decode(rootOf(source)), PUBLISHED, 300, 256);
    TestLogs.generate(source, 1000); // the old log went on to 1000 entries

    try (StaticLogServer server = new StaticLogServer(source)) {
      Cli.Result r = migrate(server.url(), db);

      assertEquals(0, r.status(), r.all());
      assertTrue(r.out().contains("committed size 300; copying 700 entries"), r.out());
    }
    assertBucketEquals(source);
    assertEquals(
        takenOver(1000, rootOf(source), "PubCoord(0," + PUBLISHED + ",300)", "GCCoord(0,256)"),
        rows(db));
  }

  @Test
  void whatTesserasOwnMigrationToolLeavesIsCompletedWithoutCopying() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 1000);
    uploadAsTessera(source);
    S3.client().deleteObject(r -> r.bucket(BUCKET).key("checkpoint")); // its migration writes none
    String db = MYSQL.copyOf(tesseras, TesseraMySqlRows.TABLES);
    // IntCoord at the source's size, SeqCoord.next still 0: an AWS appender would compute
    // next - size on unsigned integers and push every entry back.
    new TesseraMySqlRows(MYSQL, db)
        .set(1, 0, 1000, Base64.getDecoder().decode(rootOf(source)), 0, 0, 0);

    try (StaticLogServer server = new StaticLogServer(source)) {
      Cli.Result r = migrate(server.url(), db);

      assertEquals(0, r.status(), r.all());
      assertTrue(r.out().contains("already at size 1000"), r.out());
    }
    assertEquals(takenOver(1000, rootOf(source), FRESH_PUB, FRESH_GC), rows(db));
    assertBucketEquals(source); // .state/version, .state/treeState and the checkpoint added
  }

  @Test
  void aDatabaseAheadOfTheSourceIsRefusedAndNothingIsTouched() throws Exception {
    Path big = TestLogs.generate(tmp.resolve("big"), 1200);
    uploadAsTessera(big);
    String db = MYSQL.copyOf(tesseras, TesseraMySqlRows.TABLES);
    new TesseraMySqlRows(MYSQL, db)
        .set(1, 1200, 1200, Base64.getDecoder().decode(rootOf(big)), PUBLISHED, 1200, 768);
    Path small = TestLogs.generate(tmp.resolve("small"), 1000);
    List<String> before = rows(db);
    Map<String, byte[]> objects = bucket();

    try (StaticLogServer server = new StaticLogServer(small)) {
      Cli.Result r = migrate(server.url(), db);

      assertEquals(1, r.status(), r.all());
      assertTrue(
          r.err().contains("IntCoord is at size 1200, ahead of the source checkpoint's 1000"),
          r.err());
    }
    assertEquals(before, rows(db));
    assertEquals(objects.keySet(), bucket().keySet());
  }

  @Test
  void aRunThatDiesAfterItsMySqlCommitIsFinishedByTheNextRun() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 1000);
    String db = MYSQL.newDatabase();
    try (StaticLogServer server = new StaticLogServer(source)) {
      Cli.Result crashed;
      try (GcsFaultProxy proxy = new GcsFaultProxy(S3.endpoint())) {
        // the worker dies after the MySQL commit, before the bucket's tree state
        proxy.answerFirst(q -> q.puts(BUCKET, ".state/treeState"), 400);
        crashed = migrateVia(proxy.endpoint(), server.url(), db);
      }

      assertEquals(1, crashed.status(), crashed.all());
      assertEquals(
          takenOver(1000, rootOf(source), FRESH_PUB, FRESH_GC), rows(db), "MySQL committed first");
      assertFalse(bucket().containsKey(".state/treeState"));
      assertFalse(bucket().containsKey("checkpoint"));

      Cli.Result r = migrate(server.url(), db);

      assertEquals(0, r.status(), r.all());
      assertTrue(r.out().contains("already at size 1000"), r.out());
    }
    assertBucketEquals(source);
    assertEquals(takenOver(1000, rootOf(source), FRESH_PUB, FRESH_GC), rows(db));
  }

  @Test
  void theFlagsAreCheckedBeforeAnythingIsRead() {
    String noSource = "http://127.0.0.1:1/log"; // never read: each run is refused before
    String url = "--tesseraMySqlUrl=jdbc:mysql://127.0.0.1:1/log";
    Cli.Result dir = Cli.migrate(noSource, tmp.resolve("dir"), TestLogs.VKEY, url);
    assertEquals(1, dir.status());
    assertTrue(dir.err().contains("--tesseraMySqlUrl needs an s3:// destination"), dir.err());

    Cli.Result both =
        migrate(noSource, null, url, "--tesseraSpannerDatabase=projects/p/instances/i/databases/d");
    assertEquals(1, both.status());
    assertTrue(both.err().contains("exclude each other"), both.err());

    Cli.Result replacing = migrate(noSource, null, url, "--replaceUncommitted");
    assertEquals(1, replacing.status());
    assertTrue(
        replacing
            .err()
            .contains(
                "--replaceUncommitted cannot go with a Tessera take-over: Tessera's database"
                    + " commits before the bucket's tree state"),
        replacing.err());

    Cli.Result replacingInADirectory =
        Cli.migrate(noSource, tmp.resolve("dir"), TestLogs.VKEY, "--replaceUncommitted");
    assertEquals(1, replacingInADirectory.status());
    assertTrue(
        replacingInADirectory.err().contains("--replaceUncommitted is for a bucket destination"),
        replacingInADirectory.err());

    Cli.Result userAlone = migrate(noSource, null, "--tesseraMySqlUser=u");
    assertEquals(1, userAlone.status());
    assertTrue(userAlone.err().contains("need --tesseraMySqlUrl"), userAlone.err());

    Cli.Result twoPasswords =
        migrate(
            noSource,
            null,
            url,
            "--tesseraMySqlPassword=pw1",
            "--tesseraMySqlPasswordEnv=DB_PASSWORD");
    assertEquals(1, twoPasswords.status());
    assertTrue(
        twoPasswords
            .err()
            .contains(
                "give one of --tesseraMySqlPassword, --tesseraMySqlPasswordFile and"
                    + " --tesseraMySqlPasswordEnv"),
        twoPasswords.err());
    assertFalse(twoPasswords.err().contains("pw1"), twoPasswords.err());

    Path missing = tmp.resolve("no-such-password-file");
    Cli.Result noFile = migrate(noSource, null, url, "--tesseraMySqlPasswordFile=" + missing);
    assertEquals(1, noFile.status());
    assertEquals(
        "tlog-migrate: error: --tesseraMySqlPasswordFile "
            + missing
            + ": no such file on this machine\n",
        noFile.err());

    Cli.Result badUrl = migrate(noSource, null, "--tesseraMySqlUrl=mysql://h/db?password=pw1");
    assertEquals(1, badUrl.status());
    assertTrue(badUrl.err().contains("--tesseraMySqlUrl must be jdbc:mariadb://"), badUrl.err());
    assertFalse(badUrl.err().contains("pw1"), badUrl.err());
  }
}
