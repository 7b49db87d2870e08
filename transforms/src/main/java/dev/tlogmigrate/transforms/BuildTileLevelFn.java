package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.values.KV;

/**
 * Builds one hash tile of level L (at least 1) from the roots of the full level-(L-1) tiles beneath
 * it, writes it, and passes its own root up when it is full, or the tile itself when it is the
 * right edge. In an incremental run the left part of the first tile comes from the destination's
 * verified edge tile.
 */
public class BuildTileLevelFn
    extends LogStorageFn<KV<Long, Iterable<KV<Integer, byte[]>>>, KV<Long, KV<Integer, byte[]>>> {
  private final int level;
  private final Counter tilesWritten = MigrationMetrics.counter(MigrationMetrics.TILES_WRITTEN);
  private final Counter bytesWritten = MigrationMetrics.counter(MigrationMetrics.BYTES_WRITTEN);
  private final SourceTileCheck sourceTiles = new SourceTileCheck();

  private transient MessageDigest md;

  public BuildTileLevelFn(MigrationSpec spec, int level) {
    super(spec);
    if (level < 1) {
      throw new IllegalArgumentException("level-0 tiles are built from the entries, not here");
    }
    this.level = level;
  }

  @Override
  protected void setUp() {
    md = Rfc6962.sha256();
  }

  @ProcessElement
  public void process(
      @Element KV<Long, Iterable<KV<Integer, byte[]>>> group, MultiOutputReceiver out)
      throws IOException {
    long index = group.getKey();
    byte[] tile = new byte[Tiles.FULL_TILE_BYTES];
    boolean[] present = new boolean[Tiles.WIDTH];
    int count = 0;

    byte[] prior = spec.prior().tile(level);
    if (prior != null && index == Tiles.edgeIndex(spec.startSize(), level)) {
      System.arraycopy(prior, 0, tile, 0, prior.length);
      for (int i = 0; i < prior.length / Tiles.HASH_SIZE; i++) {
        present[i] = true;
        count++;
      }
    }
    for (KV<Integer, byte[]> node : group.getValue()) {
      int pos = node.getKey();
      if (present[pos]) {
        throw new IllegalStateException(
            "tile " + TilePath.hashTile(level, index, Tiles.WIDTH) + " got node " + pos + " twice");
      }
      present[pos] = true;
      count++;
      System.arraycopy(node.getValue(), 0, tile, pos * Tiles.HASH_SIZE, Tiles.HASH_SIZE);
    }

    long size = spec.treeSize();
    int want = index < Tiles.edgeIndex(size, level) ? Tiles.WIDTH : Tiles.edgeWidth(size, level);
    for (int i = 0; i < Tiles.WIDTH; i++) {
      if (present[i] != (i < want)) {
        throw new IllegalStateException(
            "tile "
                + TilePath.hashTile(level, index, Tiles.WIDTH)
                + " of tree size "
                + size
                + " has "
                + count
                + " nodes, want the first "
                + want);
      }
    }

    byte[] bytes = want == Tiles.WIDTH ? tile : Arrays.copyOf(tile, want * Tiles.HASH_SIZE);
    TilePath path = TilePath.hashTile(level, index, want);
    if (spec.compareSourceTiles()) {
      sourceTiles.record(SourceTileCheck.compare(source, path, bytes));
    }
    destination.write(path.path(), bytes);
    tilesWritten.inc();
    bytesWritten.inc(bytes.length);
    if (want == Tiles.WIDTH) {
      out.get(TreeOutputs.FULL_TILE_ROOTS)
          .output(TreeOutputs.parentNode(index, Rfc6962.subtreeRoot(md, bytes, 0, Tiles.WIDTH)));
    } else {
      out.get(TreeOutputs.EDGE_TILES).output(KV.of(level, bytes));
    }
  }
}
