package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TileAssembly;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import java.io.IOException;
import java.security.MessageDigest;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.values.KV;

/**
 * Builds one hash tile of level L (at least 1) from the roots of the full level-(L-1) tiles beneath
 * it, writes it, and passes its own root up when it is full, or the tile itself when it is the
 * right edge. The tile is put together by {@link TileAssembly}: in an incremental run its left part
 * comes from the destination's verified edge tile.
 */
public class BuildTileLevelFn
    extends LogStorageFn<KV<Long, Iterable<KV<Integer, byte[]>>>, KV<Long, KV<Integer, byte[]>>> {
  private final int level;
  private final Counter tilesWritten = MigrationMetrics.counter(MigrationMetrics.TILES_WRITTEN);
  private final Counter bytesWritten = MigrationMetrics.counter(MigrationMetrics.BYTES_WRITTEN);
  private final SourceTileCheck sourceTiles = new SourceTileCheck();

  private transient MessageDigest md;

  public BuildTileLevelFn(MigrationSpec spec, int level) {
    super(spec, spec.compareSourceTiles());
    this.level = level;
  }

  @Override
  protected void setUp() {
    md = Rfc6962.sha256();
  }

  @ProcessElement
  public void process(
      @Element KV<Long, Iterable<KV<Integer, byte[]>>> group, MultiOutputReceiver out)
      throws IOException, InterruptedException {
    TileAssembly tile = TileAssembly.start(level, group.getKey(), spec.prior(), spec.treeSize());
    run.work(destination.describe(tile.path().path()), () -> build(tile, group.getValue(), out));
  }

  private void build(
      TileAssembly tile, Iterable<KV<Integer, byte[]>> nodes, MultiOutputReceiver out)
      throws IOException {
    for (KV<Integer, byte[]> node : nodes) {
      tile.add(node.getKey(), node.getValue());
    }
    byte[] bytes = tile.finish();
    TilePath path = tile.path();
    if (spec.compareSourceTiles()) {
      sourceTiles.record(SourceTileCheck.compare(source, path, bytes));
    }
    if (writeImmutable(path.path(), bytes)) {
      uncommittedReplaced.inc();
    }
    tilesWritten.inc();
    bytesWritten.inc(bytes.length);
    if (path.isFull()) {
      out.get(TreeOutputs.FULL_TILE_ROOTS)
          .output(
              TreeOutputs.parentNode(path.index(), Rfc6962.subtreeRoot(md, bytes, 0, Tiles.WIDTH)));
    } else {
      out.get(TreeOutputs.EDGE_TILES).output(KV.of(level, bytes));
    }
  }
}
