package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.CheckpointVerifier;
import dev.tlogmigrate.transforms.format.EntryBundle;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.LogLayout;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.format.VerifierKeys;
import dev.tlogmigrate.transforms.generate.NoteSigner;
import dev.tlogmigrate.transforms.generate.TreeBuilder;
import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.LogStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A signed tlog-tiles source log in a directory with only what a migration reads: the entry bundles
 * and the checkpoint, so that every hash tile in a destination was built by the pipeline. Entry i
 * is the same at every size: a larger log extends a smaller one.
 */
final class TestLog {
  static final NoteSigner SIGNER =
      NoteSigner.parse(
          NoteSigner.signerKey("example.com/tlog-migrate/pipeline-test", new byte[32]));
  static final CheckpointVerifier VERIFIER =
      new CheckpointVerifier(List.of(VerifierKeys.parse(SIGNER.verifierKey())));

  /** Every hash tile of the tree, the full ones and the right-edge partials, by path. */
  final Map<String, byte[]> hashTiles = new TreeMap<>();

  final TreeEdge edge;

  /** The signed checkpoint. */
  final byte[] checkpoint;

  private TestLog(LogStorage dir, long size) throws IOException {
    TreeBuilder tree = new TreeBuilder((path, tile) -> hashTiles.put(path.path(), tile));
    for (long b = 0; b < Tiles.bundleCount(size); b++) {
      List<byte[]> entries = new ArrayList<>();
      for (long i = b * Tiles.WIDTH; i < Math.min(size, (b + 1) * Tiles.WIDTH); i++) {
        byte[] entry = ("entry " + i).getBytes(StandardCharsets.US_ASCII);
        entries.add(entry);
        tree.appendLeafHash(Rfc6962.leafHash(entry));
      }
      dir.write(
          LogFormat.TLOG_TILES.tilePath(b, entries.size()).path(), EntryBundle.encode(entries));
    }
    edge = tree.edge();
    for (int level = 0; level <= Tiles.topLevel(size); level++) {
      int width = Tiles.edgeWidth(size, level);
      if (width > 0) {
        hashTiles.put(
            TilePath.hashTile(level, Tiles.edgeIndex(size, level), width).path(), edge.tile(level));
      }
    }
    checkpoint = SIGNER.sign(Checkpoint.text(SIGNER.name(), size, edge.root()));
    dir.write(LogLayout.CHECKPOINT, checkpoint);
  }

  static TestLog write(Path dir, long size) throws IOException {
    try (LogStorage storage = LogLocation.of(dir.toString()).open()) {
      return new TestLog(storage, size);
    }
  }

  /** The files at {@code paths} under {@code actual} are those under {@code expected}. */
  static void assertSameFiles(Path expected, Path actual, List<String> paths) throws IOException {
    for (String path : paths) {
      assertArrayEquals(
          Files.readAllBytes(expected.resolve(path)),
          Files.readAllBytes(actual.resolve(path)),
          path);
    }
  }

  /** Every hash tile under {@code dir}, by path. */
  static Map<String, byte[]> hashTilesIn(Path dir) throws IOException {
    Map<String, byte[]> tiles = new TreeMap<>();
    Path root = dir.resolve("tile");
    try (var files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String path = dir.relativize(p).toString();
        if (!path.startsWith("tile/entries/")) {
          tiles.put(path, Files.readAllBytes(p));
        }
      }
    }
    return tiles;
  }
}
