package dev.tlogmigrate.launcher.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.storage.directory.DirectoryLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tessera's own test log (src/test/resources/tessera-log, see its SOURCE.txt), migrated over HTTP
 * and from a directory, gives the very files Tessera wrote for size 15, tree state included.
 */
class TesseraInteropTest {
  static final String VKEY =
      "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";
  static final List<String> SIZE_15_FILES =
      List.of(
          "checkpoint",
          ".state/version",
          ".state/treeState",
          "tile/0/000.p/15",
          "tile/entries/000.p/15");

  @TempDir Path tmp;

  static Path tesseraLog() throws Exception {
    return Path.of(TesseraInteropTest.class.getResource("/tessera-log/checkpoint").toURI())
        .getParent();
  }

  @Test
  void fromDirectory() throws Exception {
    Path destination = tmp.resolve("destination");
    Cli.Result r = Cli.migrate(tesseraLog().toString(), destination, VKEY);
    assertEquals(0, r.status(), r.all());
    assertSameAsTessera(destination);
  }

  @Test
  void overHttp() throws Exception {
    Path destination = tmp.resolve("destination");
    try (StaticLogServer server = new StaticLogServer(tesseraLog())) {
      Cli.Result r = Cli.migrate(server.url(), destination, VKEY);
      assertEquals(0, r.status(), r.all());
    }
    assertSameAsTessera(destination);
  }

  private static void assertSameAsTessera(Path destination) throws Exception {
    Map<String, byte[]> got = Cli.files(destination);
    got.remove(DirectoryLock.LOCK_PATH);
    assertEquals(new TreeSet<>(SIZE_15_FILES), got.keySet());
    for (String f : SIZE_15_FILES) {
      assertArrayEquals(Files.readAllBytes(tesseraLog().resolve(f)), got.get(f), f);
    }
  }
}
