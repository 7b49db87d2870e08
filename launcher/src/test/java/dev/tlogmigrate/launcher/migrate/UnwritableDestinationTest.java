package dev.tlogmigrate.launcher.migrate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tlogmigrate.launcher.testing.AfterFailedRun;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destinations that cannot take the copy: a regular file, a read-only file system, a full one. Each
 * run exits 1 with one line, and whatever the destination had committed stays exactly as it was.
 *
 * <p>Read-only and full file systems are real: a tmpfs mounted (and remounted read-only, or made
 * tiny) inside the test's temporary directory. That needs root with CAP_SYS_ADMIN (chmod would not
 * stop root); where mounting is not allowed those tests are skipped, saying why.
 */
class UnwritableDestinationTest {
  private static final long OLD_SIZE = 300;
  private static final long NEW_SIZE = 5000;

  @TempDir static Path shared;
  static Path oldSource;
  static Path newSource;

  @TempDir Path tmp;
  private final Deque<Path> mounts = new ArrayDeque<>();

  @BeforeAll
  static void generate() throws IOException {
    oldSource = TestLogs.generate(shared.resolve("old"), OLD_SIZE);
    newSource = TestLogs.generate(shared.resolve("new"), NEW_SIZE); // the same log, grown
  }

  @AfterEach
  void unmount() throws Exception {
    for (Path p : mounts) {
      AfterFailedRun.assertNothingChanges(p, Duration.ofMillis(500));
    }
    while (!mounts.isEmpty()) {
      assertEquals(0, run("umount", mounts.pop().toString()), "nothing holds a file open");
    }
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /**
   * Mounts a tmpfs of the given size at dir, or skips the test where this sandbox does not allow
   * it.
   */
  private void mountTmpfs(Path dir, String size) throws Exception {
    Files.createDirectories(dir);
    ProcessBuilder pb =
        new ProcessBuilder(
                "mount",
                "-t",
                "tmpfs",
                "-o",
                "size=" + size + ",mode=0755",
                "tlog-migrate-test",
                dir.toString())
            .redirectErrorStream(true);
    String output;
    int status;
    try {
      Process p = pb.start();
      output = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
      status = p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      output = e.getMessage();
      status = -1;
    }
    assumeTrue(status == 0, "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): " + output);
    mounts.push(dir);
  }

  private void remountReadOnly(Path dir) throws Exception {
    assertEquals(0, run("mount", "-o", "remount,ro", dir.toString()), "remount read-only");
  }

  /** Makes dir (inside a mount) read-only on its own, leaving the rest writable. */
  private void bindReadOnly(Path dir) throws Exception {
    assertEquals(0, run("mount", "--bind", dir.toString(), dir.toString()), "bind mount");
    mounts.push(dir);
    assertEquals(0, run("mount", "-o", "remount,bind,ro", dir.toString()), "read-only bind mount");
  }

  private static void assertFailedWithOneLine(Cli.Result r, String... expected) {
    assertEquals(1, r.status(), r.all());
    assertEquals(1, r.err().lines().count(), "want one line: " + r.err());
    assertTrue(r.err().startsWith("tlog-migrate: error: "), r.err());
    for (String e : expected) {
      assertTrue(r.err().contains(e), "want '" + e + "' in: " + r.err());
    }
  }

  /** Commits the old size, so that there is a state to keep. */
  private Map<String, byte[]> commitOldSize(Path destination) {
    Cli.Result first = Cli.migrate(oldSource.toString(), destination, TestLogs.VKEY);
    assertEquals(0, first.status(), first.all());
    return Cli.files(destination);
  }

  private static void assertCommittedStateKept(Path destination, Map<String, byte[]> before)
      throws IOException {
    TreeAssertions.assertTreeState(destination, before.get(".state/treeState"));
    assertArrayEquals(
        before.get("checkpoint"),
        Files.readAllBytes(destination.resolve("checkpoint")),
        "checkpoint changed");
  }

  @Test
  void destinationThatIsARegularFile() throws Exception {
    Path destination = tmp.resolve("destination");
    Files.writeString(destination, "not a directory");

    Cli.Result r = Cli.migrate(oldSource.toString(), destination, TestLogs.VKEY);

    assertFailedWithOneLine(r, destination.toString());
    assertEquals("not a directory", Files.readString(destination));
  }

  @Test
  void destinationBelowARegularFile() throws Exception {
    Path file = tmp.resolve("file");
    Files.writeString(file, "not a directory");
    Path destination = file.resolve("destination");

    Cli.Result r = Cli.migrate(oldSource.toString(), destination, TestLogs.VKEY);

    assertFailedWithOneLine(r, file.toString());
    assertEquals("not a directory", Files.readString(file));
  }

  @Test
  void readOnlyFileSystem() throws Exception {
    Path destination = tmp.resolve("ro");
    mountTmpfs(destination, "4m");
    Map<String, byte[]> before = commitOldSize(destination);
    remountReadOnly(destination);

    Cli.Result r = Cli.migrate(newSource.toString(), destination, TestLogs.VKEY);

    assertFailedWithOneLine(r, destination.toString(), "Read-only file system");
    assertEquals(before.keySet(), Cli.files(destination).keySet());
    assertCommittedStateKept(destination, before);
  }

  @Test
  void readOnlyTileDirectoryFailsTheCopyAndKeepsTheCommittedState() throws Exception {
    // The lock and .state/ are writable, so the run gets as far as the pipeline; the tiles are not.
    Path destination = tmp.resolve("rw");
    mountTmpfs(destination, "4m");
    Map<String, byte[]> before = commitOldSize(destination);
    bindReadOnly(destination.resolve("tile"));

    Cli.Result r = Cli.migrate(newSource.toString(), destination, TestLogs.VKEY);

    assertFailedWithOneLine(r, destination.resolve("tile").toString(), "Read-only file system");
    assertCommittedStateKept(destination, before);
  }

  @Test
  void fullFileSystemFailsTheCopyAndKeepsTheCommittedState() throws Exception {
    // 160 KiB: room for the 300-entry copy, not for the 5000-entry one.
    Path destination = tmp.resolve("full");
    mountTmpfs(destination, "160k");
    Map<String, byte[]> before = commitOldSize(destination);

    Cli.Result r = Cli.migrate(newSource.toString(), destination, TestLogs.VKEY);

    assertFailedWithOneLine(r, "No space left on device");
    assertCommittedStateKept(destination, before);
  }

  @Test
  void fullFileSystemErrorNamesTheFileItCouldNotWrite() throws Exception {
    Path destination = tmp.resolve("full");
    mountTmpfs(destination, "160k");
    commitOldSize(destination);

    Cli.Result r = Cli.migrate(newSource.toString(), destination, TestLogs.VKEY);

    assertFailedWithOneLine(r, destination.toString(), "No space left on device");
  }
}
