package dev.tlogmigrate.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.BundleRanges.Sizing;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BundleRangesTest {
  @Property
  void rangesCoverEveryBundleOnceInOrder(
      @ForAll @LongRange(min = 0, max = 100_000) long first,
      @ForAll @LongRange(min = 0, max = 20_000) long bundles,
      @ForAll Sizing sizing) {
    BundleRanges ranges = BundleRanges.of(first, first + bundles, sizing);
    long next = first;
    for (long r = 0; r < ranges.count(); r++) {
      assertEquals(next, ranges.start(r));
      assertTrue(ranges.end(r) > ranges.start(r), "empty range " + r);
      assertTrue(ranges.end(r) - ranges.start(r) <= sizing.maxPerRange);
      next = ranges.end(r);
    }
    assertEquals(first + bundles, next);
  }

  @Test
  void smallRunsStillSpreadAcrossThreads() {
    BundleRanges example = BundleRanges.of(0, 98, Sizing.LOCAL); // the example log
    assertEquals(6, example.perRange());
    assertEquals(17, example.count());
    BundleRanges million = BundleRanges.of(0, 3907, Sizing.LOCAL); // 1M entries
    assertEquals(244, million.perRange());
    assertEquals(17, million.count());
    assertEquals(1, BundleRanges.of(7, 8, Sizing.LOCAL).count());
    assertEquals(0, BundleRanges.of(8, 8, Sizing.LOCAL).count());
  }

  @Test
  void largeRunsCarryHundredsOfBundlesPerRangeLocally() {
    BundleRanges billion = BundleRanges.of(0, 3_906_250, Sizing.LOCAL);
    assertEquals(256, billion.perRange());
    assertEquals(15_259, billion.count()); // 3,906,250 / 256 = 15,258.8
    assertEquals(
        3_906_250 - 15_258 * 256,
        billion.end(billion.count() - 1) - billion.start(billion.count() - 1));
    assertEquals(3_906_250, billion.end(billion.count() - 1));
  }

  @Test
  void distributedRunsMakeSmallRangesForManyWorkers() {
    // A few million entries: hundreds of ranges, and a retried range fetches at most 32 bundles
    // again.
    BundleRanges fourMillion = BundleRanges.of(0, 15_625, Sizing.DISTRIBUTED);
    assertEquals(32, fourMillion.perRange());
    assertEquals(489, fourMillion.count());
    assertEquals(123, BundleRanges.of(0, 3907, Sizing.DISTRIBUTED).count()); // 1M entries
    assertEquals(98, BundleRanges.of(0, 98, Sizing.DISTRIBUTED).count()); // the example log
  }

  @Test
  void aRangeOutsideTheRunIsRefused() {
    BundleRanges ranges = BundleRanges.of(10, 20, Sizing.LOCAL);
    assertThrows(IndexOutOfBoundsException.class, () -> ranges.start(ranges.count()));
    assertThrows(IndexOutOfBoundsException.class, () -> ranges.end(-1));
  }
}
