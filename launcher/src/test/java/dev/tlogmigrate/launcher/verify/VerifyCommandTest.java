package dev.tlogmigrate.launcher.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.StaticCtTestLog;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.generate.NoteSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tlog-migrate verify}: passes on good logs, and on a log that serves a wrong hash tile, a
 * wrong entry, a missing issuer or a checkpoint signed by another key, fails after naming every
 * resource that is wrong. Nothing is written anywhere.
 */
class VerifyCommandTest {
  /** 25,000 entries: 98 bundles, the last one partial, and a partial level-1 tile of 97 hashes. */
  static final long SIZE = 25_000;

  @TempDir Path tmp;

  private Cli.Result verify(String source, String... extra) {
    return Cli.run(
        Stream.concat(
                Stream.of(
                    "verify",
                    "--source=" + source,
                    "--enforceImmutability=true",
                    "--enforceEncodability=true",
                    "--progressIntervalSeconds=0"),
                Stream.of(extra))
            .toArray(String[]::new));
  }

  private Path log() throws IOException {
    return TestLogs.generate(tmp.resolve("log"), SIZE);
  }

  private static void flipByte(Path file, int offset) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[offset] ^= 0x01;
    Files.write(file, b);
  }

  private static void assertFailsNaming(Cli.Result r, String... named) {
    assertEquals(1, r.status(), r.all());
    assertTrue(r.err().startsWith("tlog-migrate: error: verification failed"), r.err());
    for (String n : named) {
      assertTrue(r.out().contains(n), "'" + n + "' not named in:\n" + r.out());
    }
  }

  @Test
  void aGoodLogPassesAndNothingIsWritten() throws Exception {
    Path log = log();
    long files = countFiles(tmp);
    Cli.Result r = verify(log.toString(), "--sourceVerifierKey=" + TestLogs.VKEY);
    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("verified 25000 entries (98 bundles)"), r.out());
    assertTrue(r.out().contains("compared 99 hash tiles with the source's: 0 differ"), r.out());
    assertTrue(r.out().contains("verified tree size 25000"), r.out());
    assertEquals(files, countFiles(tmp), "verify wrote files");
  }

  @Test
  void aFlippedByteInALevelZeroHashTileIsNamed() throws Exception {
    Path log = log();
    flipByte(log.resolve("tile/0/005"), 3 * 32 + 7);
    Cli.Result r = verify(log.toString(), "--sourceVerifierKey=" + TestLogs.VKEY);
    assertFailsNaming(r, log.resolve("tile/0/005") + ": hash 3 (level 0 node 1283, entry 1283)");
    assertTrue(r.out().contains(": 1 differ"), r.out());
    assertFalse(
        r.out().contains("root mismatch"), "the entries are right, so is the root: " + r.out());
  }

  @Test
  void aFlippedByteInALevelOnePartialTileIsNamed() throws Exception {
    Path log = log();
    flipByte(log.resolve("tile/1/000.p/97"), 96 * 32);
    Cli.Result r = verify(log.toString(), "--sourceVerifierKey=" + TestLogs.VKEY);
    assertFailsNaming(
        r, log.resolve("tile/1/000.p/97") + ": hash 96 (level 1 node 96, entries 24576..24831)");
  }

  @Test
  void aFlippedByteInAnEntryIsNamedWithTheTilesAndTheRootItBreaks() throws Exception {
    Path log = log();
    Path bundle = log.resolve("tile/entries/010");
    byte[] b = Files.readAllBytes(bundle);
    // The first entry of the bundle that has a byte to flip (entries are 0..64 bytes,
    // length-prefixed).
    int entry = 0;
    int at = 0;
    while (((b[at] & 0xff) << 8 | (b[at + 1] & 0xff)) == 0) {
      at += 2;
      entry++;
    }
    flipByte(bundle, at + 2);
    long index = 2560L + entry;
    Cli.Result r = verify(log.toString(), "--sourceVerifierKey=" + TestLogs.VKEY);
    assertFailsNaming(
        r,
        log.resolve("tile/0/010")
            + ": hash "
            + entry
            + " (level 0 node "
            + index
            + ", entry "
            + index
            + ")",
        log.resolve("tile/1/000.p/97") + ": hash 10",
        "checkpoint: root mismatch at tree size 25000");
    assertTrue(r.err().contains("2 hash tiles that differ and a wrong root"), r.err());
  }

  @Test
  void aCheckpointSignedByAnotherKeyFails() throws Exception {
    Path log = log();
    byte[] seed = new byte[32];
    seed[0] = 9;
    NoteSigner other =
        NoteSigner.parse(NoteSigner.signerKey("example.com/tlog-migrate/example", seed));
    Cli.Result r = verify(log.toString(), "--sourceVerifierKey=" + other.verifierKey());
    assertEquals(1, r.status(), r.all());
    assertTrue(r.err().contains(log.resolve("checkpoint").toString()), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void aStaticCtLogPassesAndAMissingIssuerIsNamed() throws Exception {
    Path log = tmp.resolve("ct");
    new LogGenerator(log, StaticCtTestLog.LOG_KEY, LogFormat.STATIC_CT, 5, 200, 1500)
        .generate(StaticCtTestLog.SIZE);
    String[] flags = {"--format=static-ct", "--sourcePublicKey=" + StaticCtTestLog.PUBLIC_KEY};
    Cli.Result good = verify(log.toString(), flags);
    assertEquals(0, good.status(), good.all());
    assertTrue(
        good.out().matches("(?s).*verified 700 entries \\(3 bundles\\), [1-9][0-9]* issuers.*"),
        good.out());

    Path issuer;
    try (Stream<Path> issuers = Files.list(log.resolve("issuer"))) {
      issuer = issuers.findFirst().orElseThrow();
    }
    Files.delete(issuer);
    Cli.Result r = verify(log.toString(), flags);
    assertEquals(1, r.status(), r.all());
    assertTrue(r.err().contains(issuer + ": issuer missing from the source"), r.err());
  }

  @Test
  void aMigrationComparingSourceTilesCommitsTheRebuiltCopyAndListsWhatTheSourceServesWrong()
      throws Exception {
    Path log = log();
    Path good = tmp.resolve("good");
    TestLogs.generate(good, SIZE);
    flipByte(log.resolve("tile/0/005"), 3 * 32 + 7);
    Path destination = tmp.resolve("destination");
    Cli.Result r = Cli.migrate(log.toString(), destination, TestLogs.VKEY, "--compareSourceTiles");
    assertEquals(1, r.status(), r.all());
    assertTrue(
        r.out().contains(log.resolve("tile/0/005") + ": hash 3 (level 0 node 1283, entry 1283)"),
        r.out());
    assertTrue(r.err().contains("the copy is committed"), r.err());
    TreeAssertions.assertSameFiles(
        good, destination); // rebuilt from the entries, not the source's tile
  }

  @Test
  void aDestinationHasNoPlaceInAVerification() {
    Cli.Result r =
        verify(
            "launcher/example-log", "--sourceVerifierKey=" + TestLogs.VKEY, "--destination=/tmp/x");
    assertEquals(1, r.status(), r.all());
    assertTrue(r.err().contains("verify writes nothing"), r.err());
  }

  private static long countFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.count();
    }
  }
}
