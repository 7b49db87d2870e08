package dev.tlogmigrate.launcher.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.storage.directory.DirectoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

public final class TreeAssertions {
  private TreeAssertions() {}

  /**
   * The two directories hold the same files with the same bytes (the runs' own lock files aside).
   */
  public static void assertSameFiles(Path expected, Path actual) {
    assertSameFiles(Cli.files(expected), actual);
  }

  /**
   * The directory holds exactly these files, by relative path, with these bytes (its lock file
   * aside).
   */
  public static void assertSameFiles(Map<String, byte[]> want, Path actual) {
    Map<String, byte[]> got = Cli.files(actual);
    want.remove(DirectoryLock.LOCK_PATH);
    got.remove(DirectoryLock.LOCK_PATH);
    Set<String> missing = new TreeSet<>(want.keySet());
    missing.removeAll(got.keySet());
    Set<String> extra = new TreeSet<>(got.keySet());
    extra.removeAll(want.keySet());
    assertTrue(
        missing.isEmpty() && extra.isEmpty(),
        "missing " + first(missing) + ", unexpected " + first(extra));
    for (String name : want.keySet()) {
      assertArrayEquals(want.get(name), got.get(name), name + " differs");
    }
  }

  private static String first(Set<String> names) {
    return names.size() <= 10
        ? names.toString()
        : names.stream().limit(10).toList() + " and " + (names.size() - 10) + " more";
  }

  /**
   * The destination's committed state is exactly what it was: same tree state file, or still none.
   */
  public static void assertTreeState(Path destination, byte[] expected) throws IOException {
    Path state = destination.resolve(".state/treeState");
    if (expected == null) {
      assertTrue(
          Files.notExists(state),
          "a tree state was written: " + (Files.exists(state) ? Files.readString(state) : ""));
    } else {
      assertArrayEquals(expected, Files.readAllBytes(state), "tree state changed");
    }
  }
}
