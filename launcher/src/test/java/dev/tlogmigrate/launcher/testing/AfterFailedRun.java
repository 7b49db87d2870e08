package dev.tlogmigrate.launcher.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A failed in-process run returns while the DirectRunner's other workers may still finish the
 * bundles they had started, writing (verified) tiles into the destination for a moment longer; the
 * tree state is never among them. Tests wait for that to stop before they unmount or delete.
 */
public final class AfterFailedRun {
  private AfterFailedRun() {}

  /** Waits until nothing below dir has changed for a while (at most a few seconds). */
  public static void awaitQuiet(Path dir) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    String last = snapshot(dir);
    int stable = 0;
    while (stable < 2 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      String now = snapshot(dir);
      stable = now.equals(last) ? stable + 1 : 0;
      last = now;
    }
  }

  private static String snapshot(Path dir) {
    if (!Files.exists(dir)) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted()
          .forEach(
              p -> {
                try {
                  sb.append(p)
                      .append(' ')
                      .append(Files.isRegularFile(p) ? Files.size(p) : -1)
                      .append('\n');
                } catch (IOException e) {
                  sb.append(p).append(" gone\n");
                }
              });
    } catch (IOException | UncheckedIOException e) {
      return "changing " + System.nanoTime();
    }
    return sb.toString();
  }
}
