package dev.tlogmigrate.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** --maxConcurrentFetches by default follows the source: what it wants in flight. */
class ConcurrentFetchesDefaultTest {
  static int fetches(String... args) {
    return OptionsParser.parse(args, false).getMaxConcurrentFetches();
  }

  @Test
  void aLocalDirectoryGetsTwiceTheCoresADistantSource64AndTheFlagWins() {
    int local = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    assertEquals(local, fetches("--source=/srv/log", "--destination=/srv/copy"));
    assertEquals(local, fetches("--source=file:///srv/log"));
    assertEquals(64, fetches("--source=https://log.example.com/2025h1/"));
    assertEquals(64, fetches("--source=gs://tlog-source/log"));
    assertEquals(64, fetches("--source=s3://tlog-source/log"));
    assertEquals(64, fetches("--destination=/srv/copy"), "no source: the option's own error comes");
    assertEquals(7, fetches("--source=/srv/log", "--maxConcurrentFetches=7"));
    assertEquals(7, fetches("--source=https://log.example.com/", "--maxConcurrentFetches=7"));
  }
}
