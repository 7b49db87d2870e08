package dev.tlogmigrate.launcher.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.transforms.format.TilePath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Logs that real Tessera wrote, and what of them a copy at their size must hold. */
public final class TesseraLogs {
  /** Tessera's own lock files: not part of the log. */
  private static final Set<String> LOCKS = Set.of(".state/treeState.lock", ".state/publish.lock");

  private static final Map<Long, Path> WRITTEN = new ConcurrentHashMap<>();

  private TesseraLogs() {}

  /**
   * A log of size entries that Tessera wrote in up to four published batches, so intermediate
   * partials exist; written once per JVM under target/tessera-logs/ and shared by the tests.
   */
  public static Path written(long size) {
    return WRITTEN.computeIfAbsent(
        size,
        s -> {
          Path dir = Path.of("target", "tessera-logs", Long.toString(s)).toAbsolutePath();
          deleteTree(dir);
          Tessera.Run r = Tessera.append(dir, s, (int) Math.min(s, 4), s);
          assertEquals(0, r.status(), r.output());
          return dir;
        });
  }

  /**
   * The files of Tessera's directory that make up its log at its current size: every full tile, the
   * widest partial of each unfinished one, checkpoint and tree state. Left out are partials a
   * larger one superseded (Tessera keeps them until it garbage-collects) and its lock files.
   */
  public static Map<String, byte[]> atItsSize(Path dir) {
    Map<String, byte[]> files = Cli.files(dir);
    files.keySet().removeAll(LOCKS);
    Map<String, Integer> widest = new HashMap<>();
    for (String name : files.keySet()) {
      if (name.startsWith("tile/")) {
        TilePath t = TilePath.parse(name);
        widest.merge(t.full().path(), t.width(), Math::max);
      }
    }
    files
        .keySet()
        .removeIf(
            name ->
                name.startsWith("tile/")
                    && TilePath.parse(name).width()
                        < widest.get(TilePath.parse(name).full().path()));
    return files;
  }

  private static void deleteTree(Path dir) {
    if (Files.notExists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
