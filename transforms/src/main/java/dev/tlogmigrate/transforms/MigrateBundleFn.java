package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.fetch.BoundedRead;
import dev.tlogmigrate.transforms.fetch.FetchPool;
import dev.tlogmigrate.transforms.fetch.LargeReads;
import dev.tlogmigrate.transforms.fetch.OrderedTasks;
import dev.tlogmigrate.transforms.format.HashWarmUp;
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
 * Migrates a range of bundles ({@link BundleRanges}). For each, fetches the entry tile (a
 * tlog-tiles bundle or a static-ct data tile) from the source, parses it, hashes every entry and
 * writes the tile, in its canonical uncompressed form, and its level-0 hash tile to the
 * destination. Emits only hashes (the tile's root when it is full, the tile itself when it is the
 * right edge) and, for static-ct, the issuers its entries reference.
 *
 * <p>Bundles are migrated concurrently on the process's {@link FetchPool}, each fetch with its own
 * hashing and writes, so that a distant source has many requests in flight; the results are emitted
 * in order from the calling thread.
 */
public class MigrateBundleFn extends LogStorageFn<Long, KV<Long, KV<Integer, byte[]>>> {
  /**
   * Share of the heap that tasks holding large entry tiles (and their gunzipped copies) may use.
   */
  private static final int LARGE_TILE_HEAP_SHARE = 4;

  private final BundleRanges ranges;
  private final Counter bundles = MigrationMetrics.counter(MigrationMetrics.BUNDLES);
  private final Counter entries = MigrationMetrics.counter(MigrationMetrics.ENTRIES);
  private final Counter bytesRead = MigrationMetrics.counter(MigrationMetrics.BYTES_READ);
  private final Counter bytesWritten = MigrationMetrics.counter(MigrationMetrics.BYTES_WRITTEN);
  private final Counter tilesWritten = MigrationMetrics.counter(MigrationMetrics.TILES_WRITTEN);
  private final Counter retries = MigrationMetrics.counter(MigrationMetrics.RETRIES);
  private final Counter fallbacks = MigrationMetrics.counter(MigrationMetrics.FALLBACKS);
  private final Counter largeTiles = MigrationMetrics.counter(MigrationMetrics.LARGE_TILES);
  private final SourceTileCheck sourceTiles = new SourceTileCheck();

  private transient FetchPool pool;
  private transient long reportedRetries;

  MigrateBundleFn(MigrationSpec spec, BundleRanges ranges) {
    super(spec, true);
    this.ranges = ranges;
  }

  @Override
  protected void setUp() {
    HashWarmUp.run(); // before this process's fetch threads hash in interpreted code
    pool = pool(spec);
  }

  /** The process's fetch pool for the spec's bounds, which every DoFn that reads tiles shares. */
  static FetchPool pool(MigrationSpec spec) {
    long largeTileBytes = 2L * spec.format().maxTileBytes(); // a gzipped tile and its inflated copy
    int largeAtOnce =
        (int)
            Math.max(1, Runtime.getRuntime().maxMemory() / LARGE_TILE_HEAP_SHARE / largeTileBytes);
    return FetchPool.of(spec.maxConcurrentFetches(), largeAtOnce);
  }

  /** What migrating one bundle produced, handed to the calling thread to count and emit. */
  private record Migrated(
      long index,
      int width,
      byte[] hashes,
      byte[] fullTileRoot,
      Map<String, Integer> issuers,
      byte[] identities,
      long bytesRead,
      long bytesWritten,
      boolean fallback,
      boolean large,
      boolean compared,
      String mismatch,
      int uncommittedReplaced) {}

  @ProcessElement
  public void process(@Element Long range, MultiOutputReceiver out)
      throws IOException, InterruptedException {
    long first = ranges.start(range);
    long end = ranges.end(range);
    run.work(
        entryTile(first) + " .. " + entryTile(end - 1),
        () -> {
          try (OrderedTasks<Migrated> tasks = new OrderedTasks<>(pool, run, m -> emit(m, out))) {
            for (long index = first; index < end; index++) {
              long i = index;
              tasks.submit(entryTile(i), () -> migrate(i));
            }
            tasks.finish();
          }
        });
  }

  /** Where the source keeps entry tile {@code index}, for messages. */
  private String entryTile(long index) {
    return source.describe(
        spec.format().tilePath(index, Tiles.bundleWidth(spec.treeSize(), index)).path());
  }

  /** Fetches, checks, hashes and writes one bundle: on a pool thread. */
  private Migrated migrate(long index) throws IOException {
    int width = Tiles.bundleWidth(spec.treeSize(), index);
    TilePath path = spec.format().tilePath(index, width);
    Fetched fetched = fetch(path);
    LeafTile bundle = fetched.tile;
    bundle.checkLeafIndices(index * Tiles.WIDTH, source.describe(path.path()));
    checkAgainstCommittedPrefix(index, bundle);

    MessageDigest md = Rfc6962.sha256();
    byte[] hashes = bundle.leafHashes(md);
    TilePath hashTile = TilePath.hashTile(0, index, width);
    String mismatch =
        spec.compareSourceTiles() ? SourceTileCheck.compare(source, hashTile, hashes) : null;
    int replaced =
        (writeImmutable(path.path(), bundle.bytes()) ? 1 : 0)
            + (writeImmutable(hashTile.path(), hashes) ? 1 : 0);
    byte[] root = width == Tiles.WIDTH ? Rfc6962.subtreeRoot(md, hashes, 0, Tiles.WIDTH) : null;
    return new Migrated(
        index,
        width,
        hashes,
        root,
        bundle.issuerReferences(),
        spec.antispam() == null ? null : bundle.identities(md),
        fetched.bytesRead,
        bundle.byteLength() + hashes.length,
        fetched.fallback,
        bundle.byteLength() > LargeReads.SMALL_BYTES,
        spec.compareSourceTiles(),
        mismatch,
        replaced);
  }

  /** Counts one migrated bundle and emits what the later stages need: on the calling thread. */
  private void emit(Migrated m, MultiOutputReceiver out) {
    bundles.inc();
    entries.inc(m.width);
    bytesRead.inc(m.bytesRead);
    if (m.fallback) {
      fallbacks.inc();
    }
    if (m.large) {
      largeTiles.inc();
    }
    if (m.compared) {
      sourceTiles.record(m.mismatch);
    }
    bytesWritten.inc(m.bytesWritten);
    tilesWritten.inc();
    uncommittedReplaced.inc(m.uncommittedReplaced);
    long r = source.retries();
    retries.inc(r - reportedRetries);
    reportedRetries = r;

    if (m.fullTileRoot != null) {
      out.get(TreeOutputs.FULL_TILE_ROOTS).output(TreeOutputs.parentNode(m.index, m.fullTileRoot));
    } else {
      out.get(TreeOutputs.EDGE_TILES).output(KV.of(0, m.hashes));
    }
    for (Map.Entry<String, Integer> issuer : m.issuers.entrySet()) {
      out.get(TreeOutputs.ISSUER_REFERENCES)
          .output(KV.of(issuer.getKey(), m.index * Tiles.WIDTH + issuer.getValue()));
    }
    if (m.identities != null) {
      TreeOutputs.entryIdentities(
          m.index, m.identities, spec.antispam().from(), out.get(TreeOutputs.ENTRY_IDENTITIES));
    }
  }

  private record Fetched(LeafTile tile, long bytesRead, boolean fallback) {}

  /** The entry tile at path; a missing partial falls back to the full tile, cut to its width. */
  private Fetched fetch(TilePath path) throws IOException {
    LogFormat format = spec.format();
    Optional<byte[]> data = source.read(path.path(), format.maxTileBytes());
    if (data.isPresent()) {
      return new Fetched(
          parse(data.get(), path.width(), false, source.describe(path.path())),
          data.get().length,
          false);
    }
    if (!path.isFull()) {
      TilePath full = path.full();
      Optional<byte[]> fullData = source.read(full.path(), format.maxTileBytes());
      if (fullData.isPresent()) {
        return new Fetched(
            parse(fullData.get(), path.width(), true, source.describe(full.path())),
            fullData.get().length,
            true);
      }
    }
    throw new InvalidLogException(
        source.describe(path.path())
            + ": entry tile "
            + path.index()
            + " is missing from the source");
  }

  private LeafTile parse(byte[] stored, int width, boolean fullAsPartial, String resource) {
    LogFormat format = spec.format();
    byte[] data =
        format.isGzipped(stored)
            ? BoundedRead.gunzip(stored, format.maxTileBytes(), resource)
            : stored;
    return format.parse(data, width, fullAsPartial, resource);
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
    byte[] existing =
        destination
            .read(existingPath.path(), spec.format().maxTileBytes())
            .orElseThrow(
                () ->
                    new InvalidLogException(
                        destination.describe(existingPath.path())
                            + ": committed bundle is missing from the destination"));
    byte[] fresh = bundle.bytes();
    if (existing.length > fresh.length
        || !Arrays.equals(existing, 0, existing.length, fresh, 0, existing.length)) {
      throw new InvalidLogException(
          source.describe(spec.format().tilePath(index, bundle.size()).path())
              + ": entries "
              + index * Tiles.WIDTH
              + ".."
              + (start - 1)
              + " differ from those the destination already committed ("
              + destination.describe(existingPath.path())
              + ")");
    }
  }
}
