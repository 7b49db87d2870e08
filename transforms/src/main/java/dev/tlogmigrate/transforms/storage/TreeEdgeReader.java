package dev.tlogmigrate.transforms.storage;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeEdge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

/** Reads the right-edge tiles of a tree of a given size from a log's storage. */
public final class TreeEdgeReader {
  private TreeEdgeReader() {}

  /** A missing partial tile falls back to the full tile at the same place, cut to its width. */
  public static TreeEdge read(LogStorage storage, long size) throws IOException {
    try {
      return TreeEdge.of(
          size,
          level -> {
            TilePath path =
                TilePath.hashTile(
                    level, Tiles.edgeIndex(size, level), Tiles.edgeWidth(size, level));
            int bytes = path.width() * Tiles.HASH_SIZE;
            try {
              Optional<byte[]> tile = storage.read(path.path(), Tiles.FULL_TILE_BYTES);
              if (tile.isEmpty()) {
                tile = storage.read(path.full().path(), Tiles.FULL_TILE_BYTES);
                if (tile.isPresent() && tile.get().length != Tiles.FULL_TILE_BYTES) {
                  throw new InvalidLogException(
                      storage.describe(path.full().path())
                          + ": full tile of "
                          + tile.get().length
                          + " bytes");
                }
                tile = tile.map(t -> Arrays.copyOf(t, bytes));
              }
              if (tile.isEmpty()) {
                throw new InvalidLogException(
                    storage.describe(path.path())
                        + ": right-edge tile for tree size "
                        + size
                        + " is missing");
              }
              return tile.get();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
