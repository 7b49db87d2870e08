package dev.tlogmigrate.transforms.storage;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A log in a local directory, laid out as Tessera's POSIX storage. Writes go to a temporary file in
 * the same directory, are fsynced, then renamed over the target, so a reader (or a crash) sees the
 * old content or the new, never a torn file.
 */
final class DirectoryStorage implements LogStorage {
  private final Path root;

  DirectoryStorage(Path root) {
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
        throw new InvalidLogException(p + ": " + size + " bytes, more than the " + maxBytes + " a valid resource can have");
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
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(target.getFileName() + ".tmp-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      // The rename must be durable too: the tree state may only ever point at files that survive.
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void delete(String path) throws IOException {
    Files.deleteIfExists(resolve(path));
  }

  @Override
  public String describe(String path) {
    return resolve(path).toString();
  }
}
