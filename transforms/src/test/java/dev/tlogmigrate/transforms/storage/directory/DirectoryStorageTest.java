package dev.tlogmigrate.transforms.storage.directory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.LogStorageContract;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory destination: the contract of every store written to ({@link LogStorageContract},
 * whose replace is LogStorage's default read-compare-write here), and how it writes a file: a
 * temporary file renamed into place, directories made on demand.
 */
class DirectoryStorageTest extends LogStorageContract {
  @TempDir Path dir;

  @Override
  protected LogStorage open() {
    return LogLocation.of(dir.toString()).open();
  }

  @Override
  protected String location() {
    return dir + "/";
  }

  @Override
  protected void putBehindItsBack(String path, byte[] data) throws IOException {
    writeFile(dir, path, data);
  }

  @Override
  protected byte[] stored(String path) throws IOException {
    Path file = dir.resolve(path);
    return Files.exists(file) ? Files.readAllBytes(file) : null;
  }

  @Override
  protected Object version(String path) throws IOException {
    return Files.getAttribute(dir.resolve(path), "unix:ino");
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void writeMakesMissingDirectoriesAndLeavesOnlyTheTarget() throws IOException {
    storage.write("tile/entries/x001/234", "a".getBytes(UTF_8));
    storage.write("tile/entries/x001/235", "b".getBytes(UTF_8));
    storage.flush();

    assertEquals(List.of("tile/entries/x001/234", "tile/entries/x001/235"), files());
    assertArrayEquals("a".getBytes(UTF_8), storage.read("tile/entries/x001/234", 10).orElseThrow());
  }

  @Test
  void aKilledRunsTemporaryOfAnotherWidthDoesNotSurviveTheTilesNextWrite() throws IOException {
    // A run killed while it wrote the edge of size 600 (partials of width 88), then the source
    // grew:
    Files.createDirectories(dir.resolve("tile/0/002.p"));
    Files.write(dir.resolve("tile/0/002.p/88.tmp"), "torn".getBytes(UTF_8));
    Files.createDirectories(dir.resolve("tile/entries/002.p"));
    Files.write(dir.resolve("tile/entries/002.p/88.tmp"), "torn".getBytes(UTF_8));
    Files.write(dir.resolve("tile/entries/002.p/40"), "committed".getBytes(UTF_8));

    storage.write("tile/0/002", "full".getBytes(UTF_8)); // size 768 and beyond
    storage.write("tile/entries/002.p/200", "wider".getBytes(UTF_8)); // size 712

    assertEquals(List.of("tile/0/002", "tile/entries/002.p/200", "tile/entries/002.p/40"), files());
  }

  @Test
  void aKilledRunsTemporaryFileIsTakenOverAndAnOldFileReplaced() throws IOException {
    Files.createDirectories(dir.resolve("tile/0"));
    Files.write(dir.resolve("tile/0/000.tmp"), "torn".getBytes(UTF_8));
    Files.write(dir.resolve("tile/0/000"), "old".getBytes(UTF_8));

    storage.write("tile/0/000", "new".getBytes(UTF_8));

    assertEquals(List.of("tile/0/000"), files());
    assertArrayEquals("new".getBytes(UTF_8), Files.readAllBytes(dir.resolve("tile/0/000")));
  }

  @Test
  void aFailedWriteNamesTheFileAndLeavesNoTemporaryFile() throws IOException {
    Files.write(dir.resolve("tile"), "a file where a directory should be".getBytes(UTF_8));

    FileSystemException e =
        assertThrows(FileSystemException.class, () -> storage.write("tile/0/000", new byte[1]));

    assertTrue(e.getMessage().contains(dir.resolve("tile/0").toString()), e.getMessage());
    assertEquals(List.of("tile"), files());
  }
}
