package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.format.EntryBundle;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.LogLayout;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.location.LogLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MigrateLog on the DirectRunner between two directories, planned as a run is: the destination gets
 * every hash tile of the tree and is committed only when the rebuilt root is the checkpoint's.
 */
class MigrateLogTest {
  @TempDir Path source;
  @TempDir Path destination;

  @Test
  void migratesALogFromScratch() throws IOException {
    TestLog log = TestLog.write(source, 700); // two levels, a partial tile at each

    MigrationPlan plan = migrate(new TreeState(700, log.edge.root()));

    assertEquals(0, plan.spec().startSize());
    assertEquals(Pipelines.hex(log.hashTiles), Pipelines.hex(TestLog.hashTilesIn(destination)));
    assertCommitted(700, log);
    TestLog.assertSameFiles(
        source,
        destination,
        List.of("tile/entries/000", "tile/entries/001", "tile/entries/002.p/188"));
  }

  @Test
  void extendsACommittedLogFromItsEdgeTiles() throws IOException {
    // tile/1/000.p/4: the two nodes of the committed tile/1/000.p/2 and two of this run
    commitThenGrow(600, 1100);
  }

  @Test
  void keepsTheCommittedEdgeTileOfALevelTheRunDoesNotReach() throws IOException {
    // only bundle 2 grows: the root takes level 1 from the committed tile/1/000.p/2
    commitThenGrow(600, 700);
  }

  @Test
  void extendsACommittedEdgeTileIntoAFullOneAndALevelAboveIt() throws IOException {
    // the committed tile/1/000.p/253 becomes the full tile/1/000, whose root starts level 2
    commitThenGrow(65_000, 66_000);
  }

  @Test
  void aRootMismatchCommitsNothing() throws IOException {
    TestLog committed = TestLog.write(source, 300);
    migrate(new TreeState(300, committed.edge.root()));
    TestLog.write(source, 700);
    // The source serves a bundle other than the one its checkpoint's tree holds.
    List<byte[]> forged = new ArrayList<>();
    for (int i = 512; i < 700; i++) {
      forged.add(("forged " + i).getBytes(StandardCharsets.US_ASCII));
    }
    Files.write(source.resolve("tile/entries/002.p/188"), EntryBundle.encode(forged));
    MigrationPlan plan = plan();

    Throwable failure = Pipelines.failure(p -> p.apply("MigrateLog", new MigrateLog(plan.spec())));

    assertTrue(failure instanceof InvalidLogException, String.valueOf(failure));
    assertTrue(
        failure
            .getMessage()
            .startsWith(source.resolve("checkpoint") + ": root mismatch at tree size 700: "),
        "names the source's checkpoint: " + failure.getMessage());
    assertTrue(failure.getMessage().endsWith("; nothing committed"), failure.getMessage());
    assertFalse(failure.getMessage().contains("\n"), failure.getMessage());
    assertCommitted(300, committed);
  }

  /**
   * Migrates the log at {@code committed}, then at {@code size}: the second run starts from the
   * first's commit and leaves the destination with every hash tile of the larger tree.
   */
  private void commitThenGrow(long committed, long size) throws IOException {
    migrate(new TreeState(committed, TestLog.write(source, committed).edge.root()));
    TestLog log = TestLog.write(source, size);

    MigrationPlan plan = migrate(new TreeState(size, log.edge.root()));

    assertEquals(committed, plan.spec().startSize());
    Map<String, String> written = Pipelines.hex(TestLog.hashTilesIn(destination));
    Pipelines.hex(log.hashTiles)
        .forEach((path, tile) -> assertEquals(tile, written.get(path), path));
    assertCommitted(size, log);
  }

  private MigrationPlan plan() throws IOException {
    return MigrationPlanner.plan(
        LogLocation.of(source.toString()),
        LogLocation.of(destination.toString()),
        LogFormat.TLOG_TILES,
        TestLog.VERIFIER,
        null);
  }

  /** Plans and runs a migration, which must output {@code expected}. */
  private MigrationPlan migrate(TreeState expected) throws IOException {
    MigrationPlan plan = plan();
    assertFalse(plan.upToDate());
    Pipelines.run(
        p ->
            PAssert.that(p.apply("MigrateLog", new MigrateLog(plan.spec())))
                .containsInAnyOrder(expected));
    return plan;
  }

  /** The destination's tree state and checkpoint are those of {@code log}, of {@code size}. */
  private void assertCommitted(long size, TestLog log) throws IOException {
    String state = destination.resolve(LogLayout.TREE_STATE).toString();
    assertEquals(
        new TreeState(size, log.edge.root()),
        TreeState.parse(state, Files.readAllBytes(destination.resolve(LogLayout.TREE_STATE))));
    assertArrayEquals(
        log.checkpoint, Files.readAllBytes(destination.resolve(LogLayout.CHECKPOINT)));
  }
}
