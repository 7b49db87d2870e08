package dev.tlogmigrate.launcher.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.Directories;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.TreeState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Tessera (v1.0.4, its POSIX appender) takes over a destination tlog-migrate wrote and keeps
 * appending across a bundle and a level-1 tile boundary; the grown log verifies, extends what we
 * committed, and Tessera's fsck passes on it. A tree state we corrupt on purpose is caught, by
 * Tessera or by us.
 */
class TesseraTakeoverTest {
  /** 120 entries into the last bundle below the first level-1 tile boundary (65536). */
  static final long N = 65536 - 136;

  /** Appended by Tessera in 4 published batches: 65536 and 65792 are crossed. */
  static final long K = 400;

  @TempDir static Path shared;
  static Path source;
  static Path committed;

  @TempDir Path tmp;

  @BeforeAll
  static void migrate() throws Exception {
    source = TestLogs.generate(shared.resolve("source"), N);
    committed = shared.resolve("committed");
    Cli.Result r = Cli.migrate(source.toString(), committed, TestLogs.VKEY);
    assertEquals(0, r.status(), r.all());
  }

  @Test
  void tesseraGrowsOurDestinationIntoALogThatExtendsIt() throws Exception {
    Path grown = Directories.copy(committed, tmp.resolve("grown"));

    Tessera.Run takeover = Tessera.append(grown, K, 4, 12);

    assertEquals(0, takeover.status(), takeover.output());
    assertTrue(takeover.output().contains("tree size " + (N + K)), takeover.output());
    Tessera.Run fsck = Tessera.fsck(grown);
    assertEquals(0, fsck.status(), fsck.output());
    assertBeginsWithSource(grown);

    Path fresh = tmp.resolve("fresh");
    Cli.Result copy = Cli.migrate(grown.toString(), fresh, TestLogs.VKEY);
    assertEquals(0, copy.status(), copy.all());
    assertTrue(copy.out().contains("committed tree size " + (N + K)), copy.out());
    TreeAssertions.assertSameFiles(TesseraLogs.atItsSize(grown), fresh);

    Path older = Directories.copy(committed, tmp.resolve("older"));
    Cli.Result incremental = Cli.migrate(grown.toString(), older, TestLogs.VKEY);
    assertEquals(0, incremental.status(), incremental.all());
    assertTrue(
        incremental.out().contains("committed size " + N + "; copying " + K + " entries"),
        incremental.out());
    // Like Tessera, the incremental run leaves the size-N partials; the rest is the fresh copy.
    TreeAssertions.assertSameFiles(TesseraLogs.atItsSize(older), fresh);
  }

  /** Tessera trusts the size: moved back to a bundle boundary, it overwrites committed entries. */
  @Test
  void aTreeStateMovedBackIsCaughtByUs() throws Exception {
    Path grown = Directories.copy(committed, tmp.resolve("grown"));
    corruptTreeStateSize(grown, N - N % 256);

    Tessera.Run takeover = Tessera.append(grown, K, 4, 12);
    assertEquals(0, takeover.status(), "Tessera does not notice: " + takeover.output());

    Path older = Directories.copy(committed, tmp.resolve("older"));
    byte[] state = Files.readAllBytes(older.resolve(".state/treeState"));
    Cli.Result incremental = Cli.migrate(grown.toString(), older, TestLogs.VKEY);
    assertEquals(1, incremental.status(), incremental.all());
    assertTrue(
        incremental.err().contains("differ from those the destination already committed"),
        incremental.err());
    TreeAssertions.assertTreeState(older, state);
  }

  /** Moved ahead, Tessera looks for a partial bundle that does not exist and appends nothing. */
  @Test
  void aTreeStateMovedAheadIsRefusedByTessera() throws Exception {
    Path grown = Directories.copy(committed, tmp.resolve("grown"));
    corruptTreeStateSize(grown, N + 1);

    Tessera.Run takeover = Tessera.append(grown, K, 4, 12);

    assertNotEquals(0, takeover.status(), takeover.output());
    assertTrue(takeover.output().contains("tile/entries/255"), takeover.output());
    assertArrayEquals(
        Files.readAllBytes(committed.resolve("checkpoint")),
        Files.readAllBytes(grown.resolve("checkpoint")));
  }

  private static void corruptTreeStateSize(Path log, long size) throws Exception {
    Path file = log.resolve(".state/treeState");
    TreeState state = TreeState.parse(file.toString(), Files.readAllBytes(file));
    Files.write(file, new TreeState(size, state.root()).toJson());
  }

  /**
   * Every entry bundle of the source is a prefix of the grown log's bundle at its index: same first
   * N entries.
   */
  private static void assertBeginsWithSource(Path grown) {
    Map<String, byte[]> grownFiles = Cli.files(grown);
    for (Map.Entry<String, byte[]> f : Cli.files(source).entrySet()) {
      if (f.getKey().startsWith("tile/entries/")) {
        String full = TilePath.parse(f.getKey()).full().path();
        byte[] ours = f.getValue();
        byte[] theirs = grownFiles.get(full);
        assertTrue(
            theirs != null
                && theirs.length >= ours.length
                && Arrays.equals(ours, 0, ours.length, theirs, 0, ours.length),
            f.getKey() + " is not a prefix of " + full);
      }
    }
  }
}
