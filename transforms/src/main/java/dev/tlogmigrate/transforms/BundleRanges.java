package dev.tlogmigrate.transforms;

import java.io.Serializable;

/**
 * The bundles [first, end) of a run, cut into contiguous ranges: the units of work the pipeline
 * fans out. A runner pays a fixed cost per element it shuffles and per bundle it schedules (on the
 * DirectRunner, a DoFn serialised and a batch of fsyncs each), so a range carries up to hundreds of
 * bundles, which {@link MigrateBundleFn} fetches many at a time; there are still enough ranges to
 * keep every worker thread busy. Contiguous bundles share a destination directory, so concurrent
 * ranges mostly create files in different ones.
 */
record BundleRanges(long first, long end, long perRange) implements Serializable {
  /** How large the ranges may be, and how many a run should have at least. */
  public enum Sizing {
    /**
     * One process, few threads: ranges of up to 256 bundles, at least 16 of them so that the end of
     * a run still has several ranges fetching at once. Larger ranges took the run's CPU down at
     * each step measured, from one bundle per range to 64 and from 64 to 244
     * (launcher/benchmark/PROFILE.md).
     */
    LOCAL(256, 16),
    /**
     * Many workers: ranges of up to 32 bundles, so that a range retried after a failure fetches at
     * most 32 bundles again and a log of a few million entries still makes hundreds of ranges.
     */
    DISTRIBUTED(32, 64);

    final long maxPerRange;
    final long minRanges;

    Sizing(long maxPerRange, long minRanges) {
      this.maxPerRange = maxPerRange;
      this.minRanges = minRanges;
    }
  }

  BundleRanges {
    if (first < 0 || end < first || perRange < 1) {
      throw new IllegalArgumentException(
          "bad bundle ranges [" + first + ", " + end + ") by " + perRange);
    }
  }

  static BundleRanges of(long first, long end, Sizing sizing) {
    long bundles = end - first;
    return new BundleRanges(
        first, end, Math.max(1, Math.min(sizing.maxPerRange, bundles / sizing.minRanges)));
  }

  long count() {
    return (end - first + perRange - 1) / perRange;
  }

  long start(long range) {
    check(range);
    return first + range * perRange;
  }

  long end(long range) {
    check(range);
    return Math.min(end, first + (range + 1) * perRange);
  }

  private void check(long range) {
    if (range < 0 || range >= count()) {
      throw new IndexOutOfBoundsException("range " + range + " of " + count());
    }
  }
}
