package dev.tlogmigrate.transforms.storage.directory;

import dev.tlogmigrate.transforms.fetch.LargeReads;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.storage.LogStorage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A log in a local directory, laid out as Tessera's POSIX storage. Writes go to a temporary file in
 * the same directory and are renamed over the target, so a reader (or a crash) sees the old content
 * or the new, never a torn file. Each written file is fsynced in the background, on a few threads
 * the process shares, while the run goes on fetching and hashing; {@link #flush} waits for the
 * fsyncs of every file this storage wrote and then fsyncs each of their directories once, which is
 * what the commit needs. (Syncing on the writing thread, or all at once in {@code flush}, left the
 * fetches or the runner's thread waiting on the disk: launcher/benchmark/PROFILE.md.)
 */
public final class DirectoryStorage implements LogStorage {
  private static final String TEMPORARY = ".tmp";
  private static final String TILES = "tile/";

  /** The directory of a tile's partial widths: {@code tile/L/N.p/W}, {@code tile/entries/N.p/W}. */
  private static final String PARTIALS = ".p";

  /** Threads that fsync written files in the background, shared by the process. */
  private static final ExecutorService SYNCS =
      Executors.newFixedThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "tlog-migrate-fsync");
            t.setDaemon(true);
            return t;
          });

  private final Path root;
  private final Queue<Future<Void>> pendingSyncs = new ConcurrentLinkedQueue<>();
  private final Set<Path> unsyncedDirectories = ConcurrentHashMap.newKeySet();

  public DirectoryStorage(Path root) {
    this.root = root;
  }

  private Path resolve(String path) {
    Path p = root.resolve(path).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("path escapes the log directory: " + path);
    }
    return p;
  }

  @Override
  public Optional<byte[]> read(String path, int maxBytes) throws IOException {
    Path p = resolve(path);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > maxBytes) {
        throw new InvalidLogException(
            p + ": " + size + " bytes, more than the " + maxBytes + " a valid resource can have");
      }
      if (size > LargeReads.SMALL_BYTES) {
        LargeReads.admit(p.toString());
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {}
      if (buf.hasRemaining()) {
        throw new IOException(p + ": shrank while being read");
      }
      return Optional.of(buf.array());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void write(String path, byte[] data) throws IOException {
    Path target = resolve(path);
    // One temporary name per target: a run killed mid-write leaves a temporary file that the next
    // write of the same resource (a re-run writes them all again) takes over, instead of litter.
    // Only one writer per destination at a time: DirectoryLock.
    Path tmp = target.resolveSibling(target.getFileName() + TEMPORARY);
    boolean moved = false;
    try {
      writeFile(tmp, data);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
      pendingSyncs.add(
          SYNCS.submit(
              () -> {
                fsync(target);
                return null;
              }));
      unsyncedDirectories.add(target.getParent());
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
    if (path.startsWith(TILES)) {
      removeOtherWidthsTemporaries(target);
    }
  }

  /**
   * A run killed while it wrote the right-edge partial tile {@code N.p/W} leaves {@code N.p/W.tmp};
   * if the source has grown before the run is repeated, that run writes {@code N} or {@code N.p/W'}
   * instead, and nothing would ever take the temporary over. Writing any width of tile N removes
   * the temporaries left in {@code N.p/}: a run writes one width of each tile, and one run writes a
   * destination at a time (DirectoryLock).
   */
  private static void removeOtherWidthsTemporaries(Path target) throws IOException {
    Path partials =
        target.getParent().getFileName().toString().endsWith(PARTIALS)
            ? target.getParent()
            : target.resolveSibling(target.getFileName() + PARTIALS);
    if (!Files.isDirectory(partials)) { // a stat, as a rule: no partial of this tile was written
      return;
    }
    try (DirectoryStream<Path> temporaries = Files.newDirectoryStream(partials, "*" + TEMPORARY)) {
      for (Path t : temporaries) {
        Files.deleteIfExists(t);
      }
    }
  }

  private static void writeFile(Path file, byte[] data) throws IOException {
    try (FileChannel ch = create(file)) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    } catch (FileSystemException e) {
      throw e;
    } catch (IOException e) {
      throw named(file, e); // "No space left on device" alone does not say where
    }
  }

  private static FileChannel create(Path file) throws IOException {
    try {
      return FileChannel.open(
          file,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      // Directories are made when a write finds them missing, not checked before every write:
      // creating files is what a migration spends its system time on.
      Files.createDirectories(file.getParent());
      return FileChannel.open(
          file,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
    }
  }

  @Override
  public void flush() throws IOException {
    for (Future<Void> sync; (sync = pendingSyncs.poll()) != null; ) {
      try {
        sync.get();
      } catch (InterruptedException e) {
        pendingSyncs.add(sync); // for close to wait for
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while syncing " + root);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
    }
    // The renames must be durable too: fsync each directory that got a new entry.
    for (Path dir : List.copyOf(unsyncedDirectories)) {
      unsyncedDirectories.remove(dir);
      fsync(dir);
    }
  }

  /** Waits for the fsyncs still running: none outlives the storage, even after a failed flush. */
  @Override
  public void close() {
    boolean interrupted = false;
    for (Future<Void> sync; (sync = pendingSyncs.poll()) != null; ) {
      while (true) {
        try {
          sync.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          break; // what a flush has not reported, the run that failed already has
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void fsync(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (FileSystemException e) {
      throw e;
    } catch (IOException e) {
      throw named(p, e);
    }
  }

  private static FileSystemException named(Path p, IOException e) {
    FileSystemException named = new FileSystemException(p.toString(), null, e.getMessage());
    named.addSuppressed(e); // not the cause: the one-line error reports the deepest cause
    return named;
  }

  @Override
  public String describe(String path) {
    return resolve(path).toString();
  }
}
