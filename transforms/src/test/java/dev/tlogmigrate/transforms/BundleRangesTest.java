package dev.tlogmigrate.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BundleRangesTest {
  @Property
  void rangesCoverEveryBundleOnceInOrder(@ForAll @LongRange(min = 0, max = 100_000) long first,
      @ForAll @LongRange(min = 0, max = 20_000) long bundles) {
    BundleRanges ranges = BundleRanges.of(first, first + bundles);
    long next = first;
    for (long r = 0; r < ranges.count(); r++) {
      assertEquals(next, ranges.start(r));
      assertTrue(ranges.end(r) > ranges.start(r), "empty range " + r);
      assertTrue(ranges.end(r) - ranges.start(r) <= BundleRanges.MAX_PER_RANGE);
      next = ranges.end(r);
    }
    assertEquals(first + bundles, next);
  }

  @Test
  void smallRunsStillSpreadAcrossThreads() {
    BundleRanges example = BundleRanges.of(0, 98); // the example log
    assertEquals(1, example.perRange());
    assertEquals(98, example.count());
    BundleRanges million = BundleRanges.of(0, 3907); // 1M entries
    assertEquals(61, million.perRange());
    assertEquals(65, million.count());
    assertEquals(1, BundleRanges.of(7, 8).count());
    assertEquals(0, BundleRanges.of(8, 8).count());
  }

  @Test
  void largeRunsCarryDozensOfBundlesPerRange() {
    BundleRanges billion = BundleRanges.of(0, 3_906_250);
    assertEquals(256, billion.perRange());
    assertEquals(15_259, billion.count()); // 3,906,250 / 256 = 15,258.8
    assertEquals(3_906_250 - 15_258 * 256, billion.end(billion.count() - 1) - billion.start(billion.count() - 1));
    assertEquals(3_906_250, billion.end(billion.count() - 1));
  }

  @Test
  void aRangeOutsideTheRunIsRefused() {
    BundleRanges ranges = BundleRanges.of(10, 20);
    assertThrows(IndexOutOfBoundsException.class, () -> ranges.start(ranges.count()));
    assertThrows(IndexOutOfBoundsException.class, () -> ranges.end(-1));
  }
}
