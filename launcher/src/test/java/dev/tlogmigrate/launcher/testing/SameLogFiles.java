package dev.tlogmigrate.launcher.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Two directories hold the same static-ct log: the same bytes wherever both have a file, and a file
 * on one side only is a partial tile that a wider tile at the same place, byte for byte, extends.
 * TesseraCT keeps the partials of every size it published until its garbage collection removes
 * them; a copy has those of its own sizes only. Of {@code .state/} only Tessera's tree state and
 * version count: the antispam database, locks and GC mark are TesseraCT's own.
 */
public final class SameLogFiles {
  private static final Pattern PARTIAL =
      Pattern.compile("(tile/(?:data|\\d)/(?:x\\d{3}/)*\\d{3})\\.p/(\\d+)");
  private static final Set<String> STATE = Set.of(".state/treeState", ".state/version");

  private SameLogFiles() {}

  public static void assertSameLog(Path a, Path b) {
    Map<String, byte[]> left = logFiles(a);
    Map<String, byte[]> right = logFiles(b);
    assertTrue(
        left.containsKey(".state/treeState") && right.containsKey(".state/treeState"),
        "both have a tree state");
    Set<String> all = new TreeSet<>(left.keySet());
    all.addAll(right.keySet());
    for (String name : all) {
      byte[] l = left.get(name);
      byte[] r = right.get(name);
      if (l != null && r != null) {
        assertArrayEquals(l, r, name + " differs between " + a + " and " + b);
      } else {
        assertSuperseded(name, l != null ? l : r, left, right, (l != null ? a : b) + " only");
      }
    }
  }

  private static void assertSuperseded(
      String name,
      byte[] bytes,
      Map<String, byte[]> left,
      Map<String, byte[]> right,
      String where) {
    Matcher m = PARTIAL.matcher(name);
    if (!m.matches()) {
      fail(name + " is in " + where + " and is not a partial tile");
    }
    int width = Integer.parseInt(m.group(2));
    for (Map<String, byte[]> side : List.of(left, right)) {
      for (Map.Entry<String, byte[]> e : side.entrySet()) {
        Matcher w = PARTIAL.matcher(e.getKey());
        boolean wider =
            e.getKey().equals(m.group(1))
                || (w.matches()
                    && w.group(1).equals(m.group(1))
                    && Integer.parseInt(w.group(2)) > width);
        if (wider
            && e.getValue().length > bytes.length
            && Arrays.equals(bytes, Arrays.copyOf(e.getValue(), bytes.length))) {
          return;
        }
      }
    }
    fail(
        name
            + " is in "
            + where
            + " and no wider tile at "
            + m.group(1)
            + " begins with its bytes");
  }

  private static Map<String, byte[]> logFiles(Path dir) {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        String name = dir.relativize(p).toString();
        // The antispam database's files are sparse and gigabytes long: never read them.
        if (!name.startsWith(".state/") || STATE.contains(name)) {
          files.put(name, Files.readAllBytes(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
