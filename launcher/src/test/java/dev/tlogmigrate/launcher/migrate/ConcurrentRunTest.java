package dev.tlogmigrate.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.transforms.storage.directory.DirectoryLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per destination: another migration, or a Tessera holding its lock, keeps us out. */
class ConcurrentRunTest {
  @TempDir Path tmp;

  @Test
  void secondRunOnTheSameDestinationIsRefused() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    Path destination = tmp.resolve("destination");

    try (DirectoryLock running = DirectoryLock.acquire(destination)) {
      Cli.Result r = Cli.migrate(source.toString(), destination, TestLogs.VKEY);
      assertEquals(1, r.status(), r.all());
      assertTrue(r.err().contains("held by another tlog-migrate run"), r.err());
    }
    // Released on exit: the same command now goes through.
    assertEquals(0, Cli.migrate(source.toString(), destination, TestLogs.VKEY).status());
  }

  @Test
  void runningTesseraIsRespected() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    Path destination = tmp.resolve("destination");
    Path tesseraLock = destination.resolve(DirectoryLock.TESSERA_LOCK_PATH);
    Files.createDirectories(tesseraLock.getParent());
    Files.createFile(tesseraLock);
    // What Tessera does: flock(LOCK_EX) on .state/treeState.lock, here by util-linux's flock.
    Process tessera =
        new ProcessBuilder(
                "flock",
                "--exclusive",
                tesseraLock.toString(),
                "sh",
                "-c",
                "echo locked; exec sleep 60")
            .start();
    try {
      assertEquals(
          "locked",
          new BufferedReader(
                  new InputStreamReader(tessera.getInputStream(), StandardCharsets.UTF_8))
              .readLine());
      Cli.Result r = Cli.migrate(source.toString(), destination, TestLogs.VKEY);
      assertEquals(1, r.status(), r.all());
      assertTrue(r.err().contains("a Tessera process is writing this log"), r.err());
      assertTrue(Files.notExists(destination.resolve(".state/treeState")));
    } finally {
      tessera.descendants().forEach(ProcessHandle::destroy); // the sleep holds the lock too
      tessera.destroy();
      tessera.waitFor();
    }
    assertEquals(0, Cli.migrate(source.toString(), destination, TestLogs.VKEY).status());
  }
}
