package dev.tlogmigrate.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

final class TreeAssertions {
  private TreeAssertions() {}

  /** The two directories hold the same files with the same bytes. */
  static void assertSameFiles(Path expected, Path actual) {
    Map<String, byte[]> want = Cli.files(expected);
    Map<String, byte[]> got = Cli.files(actual);
    assertEquals(want.keySet(), got.keySet(), "file sets differ");
    for (String name : want.keySet()) {
      assertArrayEquals(want.get(name), got.get(name), name + " differs");
    }
  }

  /** The destination's committed state is exactly what it was: same tree state file, or still none. */
  static void assertTreeState(Path destination, byte[] expected) throws IOException {
    Path state = destination.resolve(".state/treeState");
    if (expected == null) {
      assertTrue(Files.notExists(state), "a tree state was written: " + (Files.exists(state) ? Files.readString(state) : ""));
    } else {
      assertArrayEquals(expected, Files.readAllBytes(state), "tree state changed");
    }
  }
}
