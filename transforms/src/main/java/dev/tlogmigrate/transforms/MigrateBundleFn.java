package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.format.DataTile;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.LeafTile;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.values.KV;

/**
 * Migrates a range of bundles ({@link BundleRanges}). For each, fetches the entry tile (a tlog-tiles bundle or a static-ct data tile) from the source, parses it,
 * hashes every entry and writes the tile, in its canonical uncompressed form, and its level-0 hash
 * tile to the destination. Emits only hashes (the tile's root when it is full, the tile itself when
 * it is the right edge) and, for static-ct, the issuers its entries reference.
 */
public class MigrateBundleFn extends LogStorageFn<Long, KV<Long, KV<Integer, byte[]>>> {
  private final BundleRanges ranges;
  private final Counter bundles = MigrationMetrics.counter(MigrationMetrics.BUNDLES);
  private final Counter entries = MigrationMetrics.counter(MigrationMetrics.ENTRIES);
  private final Counter bytesRead = MigrationMetrics.counter(MigrationMetrics.BYTES_READ);
  private final Counter bytesWritten = MigrationMetrics.counter(MigrationMetrics.BYTES_WRITTEN);
  private final Counter tilesWritten = MigrationMetrics.counter(MigrationMetrics.TILES_WRITTEN);
  private final Counter retries = MigrationMetrics.counter(MigrationMetrics.RETRIES);
  private final Counter fallbacks = MigrationMetrics.counter(MigrationMetrics.FALLBACKS);

  private transient MessageDigest md;
  private transient long reportedRetries;

  MigrateBundleFn(MigrationSpec spec, BundleRanges ranges) {
    super(spec);
    this.ranges = ranges;
  }

  @Override
  protected void setUp() {
    md = Rfc6962.sha256();
  }

  @ProcessElement
  public void process(@Element Long range, MultiOutputReceiver out) throws IOException {
    for (long index = ranges.start(range); index < ranges.end(range); index++) {
      migrate(index, out);
    }
  }

  private void migrate(long index, MultiOutputReceiver out) throws IOException {
    int width = Tiles.bundleWidth(spec.treeSize(), index);
    TilePath path = spec.format().tilePath(index, width);
    LeafTile bundle = fetch(path);
    if (bundle instanceof DataTile data) {
      data.checkLeafIndices(index * Tiles.WIDTH, source.describe(path.path()));
    }
    checkAgainstCommittedPrefix(index, bundle);

    byte[] hashes = bundle.leafHashes(md);
    destination.write(path.path(), bundle.bytes());
    destination.write(TilePath.hashTile(0, index, width).path(), hashes);

    bundles.inc();
    entries.inc(width);
    bytesWritten.inc(bundle.byteLength() + hashes.length);
    tilesWritten.inc();
    long r = source.retries();
    retries.inc(r - reportedRetries);
    reportedRetries = r;

    if (width == Tiles.WIDTH) {
      out.get(TreeOutputs.FULL_TILE_ROOTS).output(TreeOutputs.parentNode(index, Rfc6962.subtreeRoot(md, hashes, 0, Tiles.WIDTH)));
    } else {
      out.get(TreeOutputs.EDGE_TILES).output(KV.of(0, hashes));
    }
    if (bundle instanceof DataTile data) {
      for (Map.Entry<String, Integer> issuer : data.chainFingerprints().entrySet()) {
        out.get(TreeOutputs.ISSUER_REFERENCES).output(KV.of(issuer.getKey(), index * Tiles.WIDTH + issuer.getValue()));
      }
    }
  }

  /** The entry tile at path; a missing partial falls back to the full tile, cut to its width. */
  private LeafTile fetch(TilePath path) throws IOException {
    LogFormat format = spec.format();
    Optional<byte[]> data = source.read(path.path(), format.maxTileBytes());
    if (data.isPresent()) {
      bytesRead.inc(data.get().length);
      return format.parse(data.get(), path.width(), false, source.describe(path.path()));
    }
    if (!path.isFull()) {
      TilePath full = path.full();
      Optional<byte[]> fullData = source.read(full.path(), format.maxTileBytes());
      if (fullData.isPresent()) {
        fallbacks.inc();
        bytesRead.inc(fullData.get().length);
        return format.parse(fullData.get(), path.width(), true, source.describe(full.path()));
      }
    }
    throw new InvalidLogException(source.describe(path.path()) + ": entry tile " + path.index() + " is missing from the source");
  }

  /**
   * The first bundle of an incremental run is partly in the destination already: those entries must
   * be the same, byte for byte, or the source is not an extension of what was committed.
   */
  private void checkAgainstCommittedPrefix(long index, LeafTile bundle) throws IOException {
    long start = spec.startSize();
    int committed = Tiles.edgeWidth(start, 0);
    if (committed == 0 || index != Tiles.edgeIndex(start, 0)) {
      return;
    }
    TilePath existingPath = spec.format().tilePath(index, committed);
    byte[] existing = destination.read(existingPath.path(), spec.format().maxTileBytes())
        .orElseThrow(() -> new InvalidLogException(
            destination.describe(existingPath.path()) + ": committed bundle is missing from the destination"));
    byte[] fresh = bundle.bytes();
    if (existing.length > fresh.length || !Arrays.equals(existing, 0, existing.length, fresh, 0, existing.length)) {
      throw new InvalidLogException(source.describe(spec.format().tilePath(index, bundle.size()).path())
          + ": entries " + index * Tiles.WIDTH + ".." + (start - 1)
          + " differ from those the destination already committed (" + destination.describe(existingPath.path()) + ")");
    }
  }
}
