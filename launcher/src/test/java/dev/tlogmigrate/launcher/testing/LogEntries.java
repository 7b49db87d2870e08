package dev.tlogmigrate.launcher.testing;

import dev.tlogmigrate.transforms.format.EntryBundle;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Entries of a tlog-tiles log on disk, for comparing a copy with what was appended. */
public final class LogEntries {
  private LogEntries() {}

  /** Entries [0, size) of the log in {@code dir}, each bundle read once. */
  public static List<byte[]> entries(Path dir, long size) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (long b = 0; b < Tiles.bundleCount(size); b++) {
      int width = Tiles.bundleWidth(size, b);
      Path file = dir.resolve(TilePath.entryBundle(b, width).path());
      Path full = dir.resolve(TilePath.entryBundle(b, Tiles.WIDTH).path());
      EntryBundle bundle =
          Files.exists(file)
              ? EntryBundle.parse(Files.readAllBytes(file), width, file.toString())
              : EntryBundle.parseFullAsPartial(Files.readAllBytes(full), width, full.toString());
      for (int i = 0; i < width; i++) {
        out.add(bundle.entry(i));
      }
    }
    return out;
  }

  /** Entry {@code index} of the log in {@code dir}, from the full or partial bundle holding it. */
  public static byte[] entry(Path dir, long index) throws IOException {
    long bundle = index / Tiles.WIDTH;
    Path full = dir.resolve(TilePath.entryBundle(bundle, Tiles.WIDTH).path());
    Path file = full;
    int width = Tiles.WIDTH;
    if (!Files.exists(full)) {
      try (Stream<Path> partials = Files.list(full.resolveSibling(full.getFileName() + ".p"))) {
        file = partials.findFirst().orElseThrow();
      }
      width = Integer.parseInt(file.getFileName().toString());
    }
    return EntryBundle.parse(Files.readAllBytes(file), width, file.toString())
        .entry((int) (index % Tiles.WIDTH));
  }
}
