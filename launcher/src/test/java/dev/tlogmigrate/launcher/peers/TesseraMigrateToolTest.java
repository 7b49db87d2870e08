package dev.tlogmigrate.launcher.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Side by side with Tessera's own migration tool (v1.0.4 {@code cmd/experimental/migrate/posix}):
 * both copy the same 100,000-entry log from the same loopback server, and tlog-migrate's
 * destination is, byte for byte, what Tessera's tool wrote (at its size: every tile, partial,
 * {@code .state/version} and {@code .state/treeState}) plus the source's checkpoint, which
 * Tessera's tool does not copy.
 */
class TesseraMigrateToolTest {
  @TempDir Path tmp;

  @Test
  void bothToolsWriteTheSameBytes() throws Exception {
    Path source = TesseraLogs.written(100_000);
    Path theirs = tmp.resolve("tessera-migrate");
    Path ours = tmp.resolve("tlog-migrate");

    try (StaticLogServer server = new StaticLogServer(source)) {
      Tessera.Run tessera = Tessera.migrate(server.url(), theirs);
      assertEquals(0, tessera.status(), tessera.output());
      Cli.Result r = Cli.migrate(server.url(), ours, TestLogs.VKEY);
      assertEquals(0, r.status(), r.all());
    }

    Map<String, byte[]> want = TesseraLogs.atItsSize(theirs);
    want.put("checkpoint", Files.readAllBytes(source.resolve("checkpoint")));
    TreeAssertions.assertSameFiles(want, ours);
  }
}
