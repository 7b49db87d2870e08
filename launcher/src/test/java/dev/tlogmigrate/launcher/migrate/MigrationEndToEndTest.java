package dev.tlogmigrate.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole migrations through the command line on the DirectRunner: every tree shape that matters
 * (empty, one entry, edges of a bundle, of a level-1 tile, and a two-level right edge), from a
 * directory and over HTTP. The result must equal the generator's own log byte for byte.
 */
class MigrationEndToEndTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 255, 256, 257, 65536, 65536 + 256 + 1})
  void fromDirectory(long size) throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), size);
    Path destination = tmp.resolve("destination");

    Cli.Result r = Cli.migrate(source.toString(), destination, TestLogs.VKEY);

    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().contains("committed tree size " + size), r.out());
    TreeAssertions.assertSameFiles(source, destination);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 255, 256, 257, 65536, 65536 + 256 + 1})
  void overHttp(long size) throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), size);
    Path destination = tmp.resolve("destination");

    try (StaticLogServer server = new StaticLogServer(source)) {
      Cli.Result r = Cli.migrate(server.url(), destination, TestLogs.VKEY);
      assertEquals(0, r.status(), r.all());
    }
    TreeAssertions.assertSameFiles(source, destination);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 70000})
  void secondRunIsANoOp(long size) throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), size);
    Path destination = tmp.resolve("destination");
    assertEquals(0, Cli.migrate(source.toString(), destination, TestLogs.VKEY).status());

    Cli.Result again = Cli.migrate(source.toString(), destination, TestLogs.VKEY);

    assertEquals(0, again.status(), again.all());
    assertTrue(again.out().contains("nothing to do"), again.out());
  }
}
