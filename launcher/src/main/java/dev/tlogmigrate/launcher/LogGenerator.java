package dev.tlogmigrate.launcher;

import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.EntryBundle;
import dev.tlogmigrate.transforms.format.NoteSigner;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeBuilder;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.format.TreeState;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a signed tlog-tiles log of any size in Tessera's POSIX layout: bundles, every full tile,
 * the right-edge partials, the checkpoint and {@code .state/}. Entry i is a function of (seed, i)
 * alone, so a log regenerated at a larger size extends the smaller one.
 */
public final class LogGenerator {
  /** A public test key: logs made with it prove nothing about anyone. */
  public static final String TEST_SIGNER_KEY =
      NoteSigner.signerKey("example.com/tlog-migrate/example", new byte[32]);

  private final Path dir;
  private final NoteSigner signer;
  private final long seed;
  private final int minEntry;
  private final int maxEntry;

  public LogGenerator(Path dir, NoteSigner signer, long seed, int minEntry, int maxEntry) {
    if (minEntry < 0 || maxEntry > EntryBundle.MAX_ENTRY_SIZE || minEntry > maxEntry) {
      throw new IllegalArgumentException("entry sizes must satisfy 0 <= min <= max <= 65535");
    }
    this.dir = dir;
    this.signer = signer;
    this.seed = seed;
    this.minEntry = minEntry;
    this.maxEntry = maxEntry;
  }

  static void main(String[] args, PrintStream out) throws IOException {
    Flags f = new Flags(args, "output", "size", "signerKey", "seed", "minEntrySize", "maxEntrySize");
    NoteSigner signer = NoteSigner.parse(f.get("signerKey", TEST_SIGNER_KEY));
    LogGenerator g = new LogGenerator(Path.of(f.required("output")), signer, f.getLong("seed", 1),
        (int) f.getLong("minEntrySize", 200), (int) f.getLong("maxEntrySize", 1800));
    long size = f.getLong("size", 1000);
    long started = System.nanoTime();
    TreeState state = g.generate(size);
    out.printf("wrote a log of %d entries to %s in %.1f s%nroot %s%nverifier key %s%n",
        size, g.dir, (System.nanoTime() - started) / 1e9, state.rootBase64(), signer.verifierKey());
  }

  /** Entry i: printable ASCII of a length between min and max, both drawn from (seed, i). */
  public byte[] entry(long i) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    String head = "entry " + i + " ";
    int len = Math.max(minEntry, Math.min(maxEntry, minEntry + r.nextInt(maxEntry - minEntry + 1)));
    byte[] e = new byte[len];
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(h, 0, e, 0, Math.min(h.length, len));
    for (int j = h.length; j < len; j++) {
      e[j] = (byte) ('a' + r.nextInt(26));
    }
    return e;
  }

  public TreeState generate(long size) throws IOException {
    MessageDigest md = Rfc6962.sha256();
    TreeBuilder tree = new TreeBuilder((path, tile) -> write(path.path(), tile));
    for (long b = 0; b < Tiles.bundleCount(size); b++) {
      int width = Tiles.bundleWidth(size, b);
      List<byte[]> entries = new ArrayList<>(width);
      for (int j = 0; j < width; j++) {
        byte[] e = entry(b * Tiles.WIDTH + j);
        entries.add(e);
        byte[] leaf = new byte[Tiles.HASH_SIZE];
        Rfc6962.leafHash(md, e, 0, e.length, leaf, 0);
        tree.appendLeafHash(leaf);
      }
      write(TilePath.entryBundle(b, width).path(), EntryBundle.encode(entries));
    }
    TreeEdge edge = tree.edge();
    for (int level = 0; level <= Tiles.topLevel(size); level++) {
      byte[] tile = edge.tile(level);
      if (tile != null) {
        write(TilePath.hashTile(level, Tiles.edgeIndex(size, level), tile.length / Tiles.HASH_SIZE).path(), tile);
      }
    }
    TreeState state = new TreeState(size, edge.root());
    write(".state/version", new byte[] {'1'});
    write(".state/treeState", state.toJson());
    write("checkpoint", signer.sign(Checkpoint.text(signer.verifierKey().split("\\+")[0], size, state.root())));
    return state;
  }

  private void write(String path, byte[] data) {
    try {
      Path p = dir.resolve(path);
      Files.createDirectories(p.getParent());
      Files.write(p, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
