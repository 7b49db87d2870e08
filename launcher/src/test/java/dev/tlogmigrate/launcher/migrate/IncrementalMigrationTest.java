package dev.tlogmigrate.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpHandler;
import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.generate.NoteSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mirror kept in sync: the second run copies only what the source added since the first. */
class IncrementalMigrationTest {
  @TempDir Path tmp;

  @Test
  void copiesOnlyTheNewEntriesAndEndsAsAFreshCopyWould() throws Exception {
    Path source = TestLogs.generate(tmp.resolve("source"), 300);
    Path destination = tmp.resolve("destination");
    assertEquals(0, Cli.migrate(source.toString(), destination, TestLogs.VKEY).status());

    TestLogs.generate(source, 65536 + 300); // the log grew; entries are a function of their index
    List<String> requested = new CopyOnWriteArrayList<>();
    HttpHandler files = new StaticLogServer.DirectoryHandler(source);
    try (StaticLogServer server =
        new StaticLogServer(
            source,
            0,
            ex -> {
              requested.add(ex.getRequestURI().getPath());
              files.handle(ex);
            })) {
      Cli.Result r = Cli.migrate(server.url(), destination, TestLogs.VKEY);
      assertEquals(0, r.status(), r.all());
      assertTrue(r.out().contains("committed size 300; copying 65536 entries"), r.out());
    }

    assertTrue(
        requested.stream().noneMatch(p -> p.equals("/tile/entries/000")),
        "bundle 0 was committed by the first run and must not be fetched again: " + requested);
    assertEquals(
        0,
        requested.stream()
            .filter(p -> p.startsWith("/tile/0/") || p.startsWith("/tile/1/"))
            .count(),
        "hash tiles are rebuilt, never fetched");
    // The destination equals the grown source, which also kept its size-300 partials as Tessera
    // does.
    TreeAssertions.assertSameFiles(source, destination);
  }

  @Test
  void refusesADestinationAheadOfTheSource() throws Exception {
    Path destination = tmp.resolve("destination");
    Path big = TestLogs.generate(tmp.resolve("big"), 600);
    assertEquals(0, Cli.migrate(big.toString(), destination, TestLogs.VKEY).status());
    byte[] state = Files.readAllBytes(destination.resolve(".state/treeState"));
    Path small = TestLogs.generate(tmp.resolve("small"), 500);

    Cli.Result r = Cli.migrate(small.toString(), destination, TestLogs.VKEY);

    assertEquals(1, r.status());
    assertTrue(r.err().contains("ahead of the source checkpoint's 500"), r.err());
    TreeAssertions.assertTreeState(destination, state);
  }

  @Test
  void refusesASplitViewAtTheSameSize() throws Exception {
    Path destination = tmp.resolve("destination");
    Path one = TestLogs.generate(tmp.resolve("one"), 500);
    assertEquals(0, Cli.migrate(one.toString(), destination, TestLogs.VKEY).status());
    byte[] state = Files.readAllBytes(destination.resolve(".state/treeState"));
    Path other = tmp.resolve("other");
    new LogGenerator(other, TestLogs.SIGNER, 99, 0, 64).generate(500);

    Cli.Result r = Cli.migrate(other.toString(), destination, TestLogs.VKEY);

    assertEquals(1, r.status());
    assertTrue(r.err().contains("split view at size 500"), r.err());
    TreeAssertions.assertTreeState(destination, state);
  }

  @Test
  void refusesASourceThatRewroteCommittedEntries() throws Exception {
    Path destination = tmp.resolve("destination");
    Path one = TestLogs.generate(tmp.resolve("one"), 300);
    assertEquals(0, Cli.migrate(one.toString(), destination, TestLogs.VKEY).status());
    byte[] state = Files.readAllBytes(destination.resolve(".state/treeState"));
    Path other = tmp.resolve("other");
    new LogGenerator(other, TestLogs.SIGNER, 99, 0, 64).generate(700);

    Cli.Result r = Cli.migrate(other.toString(), destination, TestLogs.VKEY);

    assertEquals(1, r.status());
    assertTrue(r.err().contains("differ from those the destination already committed"), r.err());
    TreeAssertions.assertTreeState(destination, state);
  }

  @Test
  void refusesADestinationOfAnotherLog() throws Exception {
    Path destination = tmp.resolve("destination");
    Path one = TestLogs.generate(tmp.resolve("one"), 10);
    assertEquals(0, Cli.migrate(one.toString(), destination, TestLogs.VKEY).status());
    NoteSigner otherSigner =
        NoteSigner.parse(NoteSigner.signerKey("example.com/another-log", new byte[32]));
    Path other = tmp.resolve("other");
    new LogGenerator(other, otherSigner, 7, 0, 64).generate(20);

    Cli.Result r = Cli.migrate(other.toString(), destination, otherSigner.verifierKey());

    assertEquals(1, r.status());
    assertTrue(r.err().contains("refusing to mix two logs"), r.err());
  }
}
