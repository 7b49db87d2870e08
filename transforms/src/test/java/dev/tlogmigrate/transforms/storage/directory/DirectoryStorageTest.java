package dev.tlogmigrate.transforms.storage.directory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.testing.TestNotes;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes to a directory destination: temporary file, rename, directories made on demand. */
class DirectoryStorageTest {
  @TempDir Path dir;

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
    LogStorage storage = LogLocation.of(dir.toString()).open();
    storage.write("tile/entries/x001/234", "a".getBytes(UTF_8));
    storage.write("tile/entries/x001/235", "b".getBytes(UTF_8));
    storage.flush();

    assertEquals(List.of("tile/entries/x001/234", "tile/entries/x001/235"), files());
    assertArrayEquals("a".getBytes(UTF_8), storage.read("tile/entries/x001/234", 10).orElseThrow());
  }

  @Test
  void aKilledRunsTemporaryFileIsTakenOverAndAnOldFileReplaced() throws IOException {
    LogStorage storage = LogLocation.of(dir.toString()).open();
    Files.createDirectories(dir.resolve("tile/0"));
    Files.write(dir.resolve("tile/0/000.tmp"), "torn".getBytes(UTF_8));
    Files.write(dir.resolve("tile/0/000"), "old".getBytes(UTF_8));

    storage.write("tile/0/000", "new".getBytes(UTF_8));

    assertEquals(List.of("tile/0/000"), files());
    assertArrayEquals("new".getBytes(UTF_8), Files.readAllBytes(dir.resolve("tile/0/000")));
  }

  @Test
  void aFailedWriteNamesTheFileAndLeavesNoTemporaryFile() throws IOException {
    LogStorage storage = LogLocation.of(dir.toString()).open();
    Files.write(dir.resolve("tile"), "a file where a directory should be".getBytes(UTF_8));

    FileSystemException e =
        assertThrows(FileSystemException.class, () -> storage.write("tile/0/000", new byte[1]));

    assertTrue(e.getMessage().contains(dir.resolve("tile/0").toString()), e.getMessage());
    assertEquals(List.of("tile"), files());
  }

  @Test
  void theCheckpointOnlyAdvances() throws IOException {
    LogStorage storage = LogLocation.of(dir.toString()).open();
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(600), 600);

    storage.advanceCheckpoint(
        "checkpoint", TestNotes.checkpoint(300), 300); // a late write from an older run

    assertArrayEquals(TestNotes.checkpoint(600), Files.readAllBytes(dir.resolve("checkpoint")));
    Files.writeString(dir.resolve("checkpoint"), "not a checkpoint");
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(300), 300);
    assertArrayEquals(TestNotes.checkpoint(300), Files.readAllBytes(dir.resolve("checkpoint")));
  }
}
