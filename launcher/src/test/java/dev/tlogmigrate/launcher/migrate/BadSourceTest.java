package dev.tlogmigrate.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.generate.NoteSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that lies or breaks: each run exits non-zero with one line naming what is wrong, and the
 * destination's committed state stays as it was (here: none).
 */
class BadSourceTest {
  @TempDir Path tmp;
  Path source;
  Path destination;

  @BeforeEach
  void setUp() throws Exception {
    source = TestLogs.generate(tmp.resolve("source"), 1000);
    destination = tmp.resolve("destination");
  }

  private Cli.Result migrateExpectingFailure() throws Exception {
    Cli.Result r = Cli.migrate(source.toString(), destination, TestLogs.VKEY);
    assertEquals(1, r.status(), r.all());
    assertEquals(1, r.err().lines().count(), "want one line: " + r.err());
    TreeAssertions.assertTreeState(destination, null);
    assertFalse(Files.exists(destination.resolve("checkpoint")), "checkpoint written");
    return r;
  }

  @Test
  void alteredEntryFailsTheRootCheck() throws Exception {
    Path bundle = source.resolve("tile/entries/002");
    byte[] b = Files.readAllBytes(bundle);
    b[b.length - 1] ^= 1; // same length, other content: it parses, but hashes differently
    Files.write(bundle, b);

    Cli.Result r = migrateExpectingFailure();

    assertTrue(r.err().contains("root mismatch at tree size 1000"), r.err());
  }

  @Test
  void truncatedBundleIsNamed() throws Exception {
    Path bundle = source.resolve("tile/entries/001");
    byte[] b = Files.readAllBytes(bundle);
    Files.write(bundle, Arrays.copyOf(b, b.length - 1));

    Cli.Result r = migrateExpectingFailure();

    assertTrue(r.err().contains("tile/entries/001"), r.err());
    assertTrue(r.err().contains("entry 255"), r.err());
  }

  @Test
  void bundleWithTrailingBytesIsNamed() throws Exception {
    Path bundle = source.resolve("tile/entries/003.p/232");
    Files.write(bundle, new byte[] {0, 0}, StandardOpenOption.APPEND);

    Cli.Result r = migrateExpectingFailure();

    assertTrue(r.err().contains("tile/entries/003.p/232: 2 bytes after the 232 entries"), r.err());
  }

  @Test
  void missingBundleIsNamed() throws Exception {
    Files.delete(source.resolve("tile/entries/000"));

    Cli.Result r = migrateExpectingFailure();

    assertTrue(
        r.err().contains("tile/entries/000: entry tile 0 is missing from the source"), r.err());
  }

  @Test
  void wrongKeyIsRefusedBeforeAnythingIsCopied() throws Exception {
    String otherKey =
        NoteSigner.parse(
                NoteSigner.signerKey(
                    "example.com/tlog-migrate/example",
                    new byte[] {
                      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                      23, 24, 25, 26, 27, 28, 29, 30, 31, 32
                    }))
            .verifierKey();

    Cli.Result r = Cli.migrate(source.toString(), destination, otherKey);

    assertEquals(1, r.status());
    String[] parts = otherKey.split("\\+");
    assertTrue(
        r.err().contains("checkpoint: no signature by " + parts[0] + "+" + parts[1]), r.err());
    assertFalse(
        Files.exists(destination.resolve("tile")), "copied before verifying the checkpoint");
  }

  @Test
  void signedCheckpointWithAnotherRootFailsAndNamesBothRoots() throws Exception {
    byte[] wrongRoot = new byte[32];
    Files.write(
        source.resolve("checkpoint"),
        TestLogs.SIGNER.sign(Checkpoint.text("example.com/tlog-migrate/example", 1000, wrongRoot)));

    Cli.Result r = migrateExpectingFailure();

    assertTrue(
        r.err().contains("checkpoint says AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), r.err());
    assertTrue(r.err().contains("the source's entries hash to "), r.err());
  }

  @Test
  void correctedSourceSucceedsWithoutCleanUp() throws Exception {
    Path bundle = source.resolve("tile/entries/002");
    byte[] good = Files.readAllBytes(bundle);
    byte[] bad = good.clone();
    bad[bad.length - 1] ^= 1;
    Files.write(bundle, bad);
    migrateExpectingFailure();

    Files.write(bundle, good);
    Cli.Result r = Cli.migrate(source.toString(), destination, TestLogs.VKEY);

    assertEquals(0, r.status(), r.all());
    TreeAssertions.assertSameFiles(source, destination);
  }
}
