package dev.tlogmigrate.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.Main;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.directory.DirectoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a migration process with SIGKILL at several points and checks after each kill that the
 * destination is consistent: its tree state is the previous committed one, or the new one with
 * everything it implies in place. Then the same command finishes the job, byte for byte as an
 * uninterrupted run.
 */
class CrashSafetyTest {
  static final long BEFORE = 50_000;
  static final long AFTER = 200_000;

  @TempDir Path tmp;
  byte[] previous;
  Path expected;
  Path source;
  Path destination;

  /** A destination committed at BEFORE, and the source grown to AFTER since. */
  @BeforeEach
  void copyThenGrowTheSource() throws IOException {
    source = TestLogs.generate(tmp.resolve("source"), BEFORE);
    destination = tmp.resolve("destination");
    assertEquals(0, Cli.migrate(source.toString(), destination, TestLogs.VKEY).status());
    previous = Files.readAllBytes(destination.resolve(".state/treeState"));
    TestLogs.generate(source, AFTER);
    // An uninterrupted run makes the destination equal the grown source, which also kept its
    // size-50,000 partials (MigrationEndToEndTest and IncrementalMigrationTest show it).
    expected = source;
  }

  @Test
  void killedRunsLeaveACommittedStateAndTheSameCommandFinishes() throws Exception {
    killWhen(source, destination, "early", d -> true);
    killWhen(source, destination, "mid-copy", d -> count(d.resolve("tile/entries")) > 300);
    killWhen(source, destination, "tile levels", d -> Files.exists(d.resolve("tile/1/001")));
    killWhen(source, destination, "final stage", d -> Files.exists(d.resolve("tile/2/000.p/3")));

    Path log = tmp.resolve("rerun.log");
    Process rerun = start(source.toString(), destination, log);
    assertEquals(0, rerun.waitFor(), Files.readString(log));
    TreeAssertions.assertSameFiles(expected, destination);
  }

  /**
   * A run toward size 120,000, killed while it wrote its right edge, leaves a temporary file at
   * each partial it was writing; the source has grown to 200,000 since, so the next run writes
   * other widths (or the full tiles) there, never those names again. The temporaries go all the
   * same: the copy is exactly the source.
   */
  @Test
  void aKilledRunsTemporariesAtAnEdgeTheSourceHasSinceGrownPastDoNotSurvive() throws Exception {
    long killedAt = 120_000; // tile/entries/468.p/192, tile/0/468.p/192, tile/1/001.p/212, ...
    for (int level = 0; level <= Tiles.topLevel(killedAt); level++) {
      TilePath hashTile =
          TilePath.hashTile(
              level, Tiles.edgeIndex(killedAt, level), Tiles.edgeWidth(killedAt, level));
      plantTemporary(hashTile.path());
    }
    plantTemporary(LogFormat.TLOG_TILES.tilePath(468, 192).path());

    assertEquals(0, Cli.migrate(source.toString(), destination, TestLogs.VKEY).status());

    TreeAssertions.assertSameFiles(expected, destination);
  }

  private void plantTemporary(String path) throws IOException {
    Path tmpFile = destination.resolve(path + ".tmp");
    Files.createDirectories(tmpFile.getParent());
    Files.write(tmpFile, new byte[] {1, 2, 3}); // torn
  }

  @Test
  void aRunKilledWithManyFetchesInFlightLeavesTheCommittedStateAndTheSameCommandFinishes()
      throws Exception {
    // A distant source: every response waits 100 ms, so a run soon has dozens of fetches open.
    ConcurrentFetchTest.Watching watching =
        new ConcurrentFetchTest.Watching(source, Duration.ofMillis(100));
    try (StaticLogServer server = new StaticLogServer(source, 0, watching)) {
      Process p = start(server.url(), destination, tmp.resolve("killed.log"));
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (watching.inFlight.get() < 32 && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertTrue(p.isAlive(), "the run ended before it had 32 fetches in flight");
      p.destroyForcibly();
      p.waitFor();
      assertConsistent(destination, "with " + watching.maxInFlight.get() + " fetches in flight");

      Path log = tmp.resolve("rerun.log");
      Process rerun = start(server.url(), destination, log);
      assertEquals(0, rerun.waitFor(), Files.readString(log));
    }
    TreeAssertions.assertSameFiles(expected, destination);
  }

  /**
   * Starts the command line in a new JVM, waits for the condition on the destination, SIGKILLs it.
   */
  private void killWhen(Path source, Path destination, String point, Predicate<Path> condition)
      throws Exception {
    Process p = start(source.toString(), destination, tmp.resolve("killed.log"));
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!condition.test(destination) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    // Only the last kill point may come too late: the commit follows the last tile within
    // milliseconds.
    assertTrue(
        p.isAlive() || point.equals("final stage"),
        "the run ended before the kill point '" + point + "'");
    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
    p.waitFor();
    assertConsistent(destination, point);
  }

  private void assertConsistent(Path destination, String point) throws IOException {
    byte[] state = Files.readAllBytes(destination.resolve(".state/treeState"));
    TreeState parsed = TreeState.parse("treeState", state);
    if (parsed.size() == BEFORE) {
      assertArrayEquals(previous, state, "after kill " + point);
      return;
    }
    if (parsed.size() == AFTER) {
      // Committed: every resource of the new tree is in place; the checkpoint may lag behind.
      Map<String, byte[]> want = Cli.files(expected);
      Map<String, byte[]> got = Cli.files(destination);
      for (String f : want.keySet()) {
        if (!f.equals("checkpoint") && !f.equals(DirectoryLock.LOCK_PATH)) {
          assertArrayEquals(want.get(f), got.get(f), f + " after kill " + point);
        }
      }
    }
    assertTrue(
        parsed.size() == BEFORE || parsed.size() == AFTER,
        "tree state " + parsed + " after kill " + point);
  }

  private static Process start(String source, Path destination, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "--source=" + source,
            "--destination=" + destination,
            "--sourceVerifierKey=" + TestLogs.VKEY,
            "--progressIntervalSeconds=0")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static long count(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    } catch (IOException e) {
      return 0;
    }
  }
}
