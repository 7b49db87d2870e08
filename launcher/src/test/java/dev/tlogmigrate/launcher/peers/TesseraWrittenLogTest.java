package dev.tlogmigrate.launcher.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logs that real Tessera (v1.0.4, its POSIX appender) wrote in several published batches, copied
 * from the directory and over HTTP: the copy holds byte for byte the files Tessera has for that
 * size (every tile, every partial, the checkpoint, {@code .state/treeState}), and Tessera's fsck
 * passes on it.
 */
class TesseraWrittenLogTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(longs = {1, 255, 256, 257, 65536 + 3, 100_000})
  void fromDirectory(long size) {
    Path tessera = TesseraLogs.written(size);
    Path destination = tmp.resolve("destination");

    Cli.Result r = Cli.migrate(tessera.toString(), destination, TestLogs.VKEY);

    assertEquals(0, r.status(), r.all());
    TreeAssertions.assertSameFiles(TesseraLogs.atItsSize(tessera), destination);
    Tessera.Run fsck = Tessera.fsck(destination);
    assertEquals(0, fsck.status(), fsck.output());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 255, 256, 257, 65536 + 3, 100_000})
  void overHttp(long size) throws Exception {
    Path tessera = TesseraLogs.written(size);
    Path destination = tmp.resolve("destination");

    try (StaticLogServer server = new StaticLogServer(tessera)) {
      Cli.Result r = Cli.migrate(server.url(), destination, TestLogs.VKEY);
      assertEquals(0, r.status(), r.all());
    }
    TreeAssertions.assertSameFiles(TesseraLogs.atItsSize(tessera), destination);
  }
}
