package dev.tlogmigrate.launcher.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Once a failed run has returned, nothing of it writes to the destination any more: no fetch, no
 * runner thread, no late tile. Tests watch the destination for a while to show it.
 */
public final class AfterFailedRun {
  private AfterFailedRun() {}

  /**
   * Fails unless nothing below dir (names, sizes, bytes) changes for {@code watch}, starting now.
   */
  public static void assertNothingChanges(Path dir, Duration watch) throws InterruptedException {
    String before = snapshot(dir);
    long deadline = System.nanoTime() + watch.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      assertEquals(before, snapshot(dir), dir + " changed after the failed run had returned");
    }
  }

  /** Every file and directory below dir, with each file's size and SHA-256. */
  public static String snapshot(Path dir) {
    if (!Files.exists(dir)) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        sb.append(dir.relativize(p));
        if (Files.isRegularFile(p)) {
          byte[] bytes = Files.readAllBytes(p);
          sb.append(' ').append(bytes.length).append(' ').append(sha256(bytes));
        }
        sb.append('\n');
      }
    } catch (IOException | UncheckedIOException e) {
      throw new AssertionError(dir + " changed while being read", e); // a file came or went
    }
    return sb.toString();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
