package dev.tlogmigrate.launcher.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tessera's fsck, which {@link TesseraWrittenLogTest} runs on every copy we make, can fail: one
 * flipped byte in a hash tile of our output and it does, naming the tile.
 */
class TesseraFsckTest {
  @TempDir Path tmp;

  @Test
  void failsOnOneFlippedByteInAHashTile() throws Exception {
    Path destination = tmp.resolve("destination");
    Cli.Result r = Cli.migrate(TesseraLogs.written(257).toString(), destination, TestLogs.VKEY);
    assertEquals(0, r.status(), r.all());
    Path tile = destination.resolve("tile/0/000");
    byte[] bytes = Files.readAllBytes(tile);
    bytes[100] ^= 1;
    Files.write(tile, bytes);

    Tessera.Run fsck = Tessera.fsck(destination);

    assertNotEquals(0, fsck.status(), fsck.output());
    assertTrue(fsck.output().contains("tile/0/000"), fsck.output());
  }
}
