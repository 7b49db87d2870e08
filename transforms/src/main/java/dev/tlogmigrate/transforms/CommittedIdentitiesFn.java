package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.fetch.FetchPool;
import dev.tlogmigrate.transforms.fetch.OrderedTasks;
import dev.tlogmigrate.transforms.format.HashWarmUp;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.LeafTile;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import java.io.IOException;
import org.apache.beam.sdk.values.KV;

/**
 * Reads the entry tiles of a range of bundles that the destination already committed (verified by
 * the run that wrote them) and emits their entries' identities, for an antispam index that lags
 * behind the committed log. Tiles are read concurrently on the process's {@link FetchPool}, the one
 * the copy's fetches use.
 */
class CommittedIdentitiesFn extends LogStorageFn<Long, KV<byte[], Long>> {
  private final BundleRanges ranges;

  /** The committed size the ranges end at: the width of the last bundle. */
  private final long end;

  private transient FetchPool pool;

  CommittedIdentitiesFn(MigrationSpec spec, BundleRanges ranges, long end) {
    super(spec, false); // it reads the destination only
    this.ranges = ranges;
    this.end = end;
  }

  @Override
  protected void setUp() {
    HashWarmUp.run(); // an identity is a hash too
    pool = MigrateBundleFn.pool(spec); // the copy's bound holds for both
  }

  private record Read(long index, byte[] identities) {}

  @ProcessElement
  public void process(@Element Long range, OutputReceiver<KV<byte[], Long>> out)
      throws IOException, InterruptedException {
    long from = spec.antispam().from();
    long first = ranges.start(range);
    long stop = ranges.end(range);
    run.work(
        entryTile(first) + " .. " + entryTile(stop - 1),
        () -> {
          try (OrderedTasks<Read> tasks =
              new OrderedTasks<>(
                  pool,
                  run,
                  r -> TreeOutputs.entryIdentities(r.index(), r.identities(), from, out))) {
            for (long index = first; index < stop; index++) {
              long i = index;
              tasks.submit(entryTile(i), () -> new Read(i, identities(i)));
            }
            tasks.finish();
          }
        });
  }

  private String entryTile(long index) {
    return destination.describe(
        spec.format().tilePath(index, Tiles.bundleWidth(end, index)).path());
  }

  private byte[] identities(long index) throws IOException {
    TilePath path = spec.format().tilePath(index, Tiles.bundleWidth(end, index));
    String where = destination.describe(path.path());
    byte[] data =
        destination
            .read(path.path(), spec.format().maxTileBytes())
            .orElseThrow(
                () ->
                    new InvalidLogException(
                        where + ": committed entry tile missing from the destination"));
    LeafTile tile = spec.format().parse(data, path.width(), false, where);
    return tile.identities(Rfc6962.sha256());
  }
}
