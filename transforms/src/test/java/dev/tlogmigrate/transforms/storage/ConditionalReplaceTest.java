package dev.tlogmigrate.transforms.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.location.LogLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LogStorage's default read-compare-write replace, as a directory destination uses it. */
class ConditionalReplaceTest {
  @TempDir Path dir;

  @Test
  void replaceOnADirectoryComparesBeforeWriting() throws IOException {
    LogStorage storage = LogLocation.of(dir.toString()).open();
    Path state = dir.resolve(".state/treeState");

    storage.replace(".state/treeState", null, "one".getBytes(UTF_8));
    assertThrows(
        PreconditionFailedException.class,
        () -> storage.replace(".state/treeState", null, "x".getBytes(UTF_8)));
    assertThrows(
        PreconditionFailedException.class,
        () -> storage.replace(".state/treeState", "zero".getBytes(UTF_8), "x".getBytes(UTF_8)));
    storage.replace(".state/treeState", "one".getBytes(UTF_8), "two".getBytes(UTF_8));

    assertArrayEquals("two".getBytes(UTF_8), Files.readAllBytes(state));
  }

  @Test
  void advanceTreeStateOnADirectory() throws IOException {
    LogStorage storage = LogLocation.of(dir.toString()).open();
    TreeState empty = new TreeState(0, Rfc6962.emptyRoot());
    TreeState five = new TreeState(5, new byte[32]);

    TreeState six = new TreeState(6, new byte[32]);

    storage.advanceTreeState(".state/treeState", empty, five);
    storage.advanceTreeState(".state/treeState", empty, five); // a retried commit: already done
    assertThrows(
        PreconditionFailedException.class,
        () -> storage.advanceTreeState(".state/treeState", empty, six));
    storage.advanceTreeState(".state/treeState", five, five); // an up-to-date run that re-commits

    assertArrayEquals(five.toJson(), Files.readAllBytes(dir.resolve(".state/treeState")));
  }
}
