package dev.tlogmigrate.launcher.testing;

import dev.tlogmigrate.transforms.format.LeafTile;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Tessera antispam index must hold for a log on disk, worked out entry by entry in index
 * order as Tessera's follower does: each identity (hex) with the first index that has it.
 */
public final class AntispamRows {
  private AntispamRows() {}

  /** The rows for entries [from, size) of the log in dir, identity hex to first index. */
  public static Map<String, Long> expected(Path dir, LogFormat format, long from, long size)
      throws IOException {
    Map<String, Long> rows = new TreeMap<>();
    for (long b = from / Tiles.WIDTH; b < Tiles.bundleCount(size); b++) {
      TilePath path = format.tilePath(b, Tiles.bundleWidth(size, b));
      LeafTile tile =
          format.parse(Files.readAllBytes(dir.resolve(path.path())), path.width(), false, "test");
      byte[] ids = tile.identities(Rfc6962.sha256());
      for (int i = 0; i < tile.size(); i++) {
        long index = b * Tiles.WIDTH + i;
        if (index >= from) {
          rows.putIfAbsent(HexFormat.of().formatHex(ids, i * 32, i * 32 + 32), index);
        }
      }
    }
    return rows;
  }

  /** The identity (hex) of entry {@code index} of the log of {@code size} entries in dir. */
  public static String identity(Path dir, LogFormat format, long size, long index)
      throws IOException {
    long b = index / Tiles.WIDTH;
    TilePath path = format.tilePath(b, Tiles.bundleWidth(size, b));
    LeafTile tile =
        format.parse(Files.readAllBytes(dir.resolve(path.path())), path.width(), false, "test");
    int i = (int) (index % Tiles.WIDTH);
    return HexFormat.of().formatHex(tile.identities(Rfc6962.sha256()), i * 32, i * 32 + 32);
  }
}
