package dev.tlogmigrate.transforms.storage.directory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a destination directory to one writer for the length of a run: {@code .state/migrate.lock}
 * against other tlog-migrate runs, and Tessera's own {@code .state/treeState.lock} against a
 * Tessera that still writes there. Both are released when the process ends, however it ends.
 *
 * <p>Tessera takes its lock with flock(2), which Java's FileChannel locks (fcntl on Linux) do not
 * see; so the Tessera lock is taken by util-linux's {@code flock}, in a child process that holds it
 * while our end of its standard input is open.
 */
public final class DirectoryLock implements AutoCloseable {
  public static final String LOCK_PATH = ".state/migrate.lock";
  public static final String TESSERA_LOCK_PATH = ".state/treeState.lock";
  private static final int HELD_ELSEWHERE = 75;

  /** Locks held until the process exits, whatever becomes of their holders. */
  private static final Set<DirectoryLock> KEPT = ConcurrentHashMap.newKeySet();

  private final FileChannel channel;
  private final FileLock lock;
  private final Process tesseraLock;

  private DirectoryLock(FileChannel channel, FileLock lock, Process tesseraLock) {
    this.channel = channel;
    this.lock = lock;
    this.tesseraLock = tesseraLock;
  }

  public static DirectoryLock acquire(Path root) throws IOException {
    Path file = root.resolve(LOCK_PATH);
    Files.createDirectories(file.getParent());
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new IllegalStateException(
          file + " is held by another tlog-migrate run on this destination; wait for it to end");
    }
    try {
      return new DirectoryLock(ch, lock, lockTessera(root.resolve(TESSERA_LOCK_PATH)));
    } catch (IOException | RuntimeException e) {
      lock.release();
      ch.close();
      throw e;
    }
  }

  /** Takes Tessera's flock if the lock file exists (Tessera creates it when it runs). */
  private static Process lockTessera(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    Process p;
    try {
      p =
          new ProcessBuilder(
                  "flock",
                  "--exclusive",
                  "--nonblock",
                  "--conflict-exit-code",
                  String.valueOf(HELD_ELSEWHERE),
                  file.toString(),
                  "sh",
                  "-c",
                  "echo locked; exec cat > /dev/null")
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new IOException(
          "cannot check "
              + file
              + " for a running Tessera: util-linux's flock is needed ("
              + e.getMessage()
              + ")",
          e);
    }
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if ("locked".equals(line)) {
      return p;
    }
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    p.destroy();
    if (p.isAlive() || p.exitValue() != HELD_ELSEWHERE) {
      throw new IOException("cannot lock " + file + ": flock said " + line);
    }
    throw new IllegalStateException(
        file
            + " is locked: a Tessera process is writing this log; stop it before migrating into it");
  }

  /**
   * Holds the locks until this process exits (the operating system releases them then), closing
   * does nothing: for a run whose threads may still write after it has given up waiting for them.
   */
  public void keepUntilExit() {
    KEPT.add(this);
  }

  @Override
  public void close() throws IOException {
    if (KEPT.contains(this)) {
      return;
    }
    if (tesseraLock != null) {
      tesseraLock.getOutputStream().close(); // cat ends, flock releases
      tesseraLock.destroy();
    }
    lock.release();
    channel.close();
  }
}
