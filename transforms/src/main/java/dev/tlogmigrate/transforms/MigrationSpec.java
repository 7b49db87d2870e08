package dev.tlogmigrate.transforms;

import com.google.auto.value.AutoValue;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.tessera.AntispamFill;
import dev.tlogmigrate.transforms.tessera.TesseraTakeover;
import java.io.Serializable;
import java.util.UUID;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.display.HasDisplayData;
import org.jspecify.annotations.Nullable;

/**
 * What one migration run does: copy the source log from the destination's committed size up to the
 * verified checkpoint's size, and commit only if the rebuilt tree has the checkpoint's root.
 */
@AutoValue
public abstract class MigrationSpec implements Serializable, HasDisplayData {
  private static final long serialVersionUID = 1L;

  /**
   * This run's own id, unique per run: what the DoFns of one run in a process share, so that a
   * failed run stops only its own threads ({@link dev.tlogmigrate.transforms.fetch.RunThreads}).
   */
  public abstract String runId();

  public abstract LogLocation source();

  public abstract LogLocation destination();

  /** How the log stores its entries: tlog-tiles bundles or static-ct-api data tiles. */
  public abstract LogFormat format();

  /** The verified source checkpoint's tree size. */
  public abstract long treeSize();

  /** The verified source checkpoint's root hash. */
  @SuppressWarnings("mutable")
  public abstract byte[] root();

  /** The source checkpoint, byte for byte: written to the destination last. */
  @SuppressWarnings("mutable")
  public abstract byte[] checkpoint();

  /** The destination's committed tree (verified against its tree state): where this run starts. */
  public abstract TreeEdge prior();

  public long startSize() {
    return prior().size();
  }

  /**
   * The Tessera deployment's database (Spanner, MySQL) that the final stage hands the verified tree
   * to, as the planner checked it; null for none (Tessera's POSIX storage continues from the
   * destination's own tree state).
   */
  public abstract @Nullable TesseraTakeover tesseraTakeover();

  /**
   * The Tessera antispam index the run fills (with a take-over only), from where its follower
   * stood: every entry from there gets its row before the commit, and the follower's {@code
   * nextIdx} moves to the tree size after it; null for none.
   */
  public abstract @Nullable AntispamFill antispam();

  /**
   * Entry tiles fetched at once per worker process, each fetch with its hashing and writes: what
   * keeps a distant source busy. {@link #defaultMaxConcurrentFetches} of the source unless set.
   */
  public abstract int maxConcurrentFetches();

  /**
   * For a distant source (HTTP, a bucket): twice the 30 workers of Tessera's migration tool. At 50
   * ms per response it keeps 64 x 20 = 1,280 bundles (327,680 entries) a second in reach, more than
   * two cores can hash and write (see launcher/benchmark/BENCHMARKS.md), and each fetch holds at
   * most 1 MiB unless admitted as large (LargeReads).
   */
  public static final int DEFAULT_MAX_CONCURRENT_FETCHES = 64;

  /**
   * The fetches a source wants in flight: {@link #DEFAULT_MAX_CONCURRENT_FETCHES} for a distant
   * one, twice the cores (at least 4) for a local directory, which answers at once: more threads
   * than that only hash and write side by side, taking CPU from the JIT's compiler threads and
   * contending on the destination's directories, with more memory held.
   */
  public static int defaultMaxConcurrentFetches(LogLocation source) {
    return source.isLocal()
        ? Math.max(4, 2 * Runtime.getRuntime().availableProcessors())
        : DEFAULT_MAX_CONCURRENT_FETCHES;
  }

  /**
   * How the run is cut into units of work ({@link BundleRanges}): few large ones on the
   * DirectRunner, whose cost per unit is high and whose few threads each keep many fetches in
   * flight; many small ones on a distributed runner, where a failed unit is retried whole and units
   * must spread over many workers.
   */
  public abstract BundleRanges.Sizing rangeSizing();

  /**
   * Whether every hash tile the run rebuilds is also read from the source and compared with it (an
   * audit of what the source serves to its clients); mismatches are reported, not fatal.
   */
  public abstract boolean compareSourceTiles();

  /**
   * Whether this run only verifies: nothing is written and nothing committed, and a root that does
   * not match is reported as a mismatch rather than thrown ({@code tlog-migrate verify}).
   */
  public abstract boolean verifyOnly();

  /**
   * Whether objects that a failed run left above the committed size, holding other bytes, are
   * replaced rather than refused: the operator's word that no other job writes the destination
   * ({@code --replaceUncommitted}).
   */
  public abstract boolean replaceUncommitted();

  abstract Builder toBuilder();

  /**
   * What a job's transforms show of the run (in the Dataflow console): where from, where to, which
   * format, and which part of the tree.
   */
  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    builder
        .add(DisplayData.item("source", source().uri()).withLabel("Source log"))
        .add(DisplayData.item("destination", destination().uri()).withLabel("Destination"))
        .add(DisplayData.item("format", format().flag()).withLabel("Log format"))
        .add(DisplayData.item("startSize", startSize()).withLabel("Committed tree size (start)"))
        .add(DisplayData.item("treeSize", treeSize()).withLabel("Checkpoint tree size"));
  }

  /**
   * This spec for a stage that reads nothing from the source: without the source's credentials (its
   * bearer token), which then travel only with the stages that fetch.
   */
  public MigrationSpec withoutSourceCredentials() {
    LogLocation bare = source().withHttp(source().http().withoutBearerToken());
    return bare.equals(source()) ? this : toBuilder().source(bare).build();
  }

  /**
   * This spec for a stage that hands nothing to Tessera's log database: without it (and its
   * password), which then travels only with the stages that commit.
   */
  public MigrationSpec withoutTesseraTakeover() {
    return tesseraTakeover() == null ? this : toBuilder().tesseraTakeover(null).build();
  }

  /**
   * This spec for a stage that writes to no Tessera database: without the log's, and without the
   * antispam index's (it may still produce the index's rows), nor their passwords.
   */
  public MigrationSpec withoutTesseraDatabases() {
    MigrationSpec own = withoutTesseraTakeover();
    return own.antispam() == null
        ? own
        : own.toBuilder().antispam(own.antispam().withoutIndex()).build();
  }

  /** This spec, replacing what a failed run left above the committed size (see above). */
  public MigrationSpec withReplaceUncommitted() {
    return toBuilder().replaceUncommitted(true).build();
  }

  /** This spec, comparing the source's own hash tiles with the rebuilt ones. */
  public MigrationSpec withCompareSourceTiles() {
    return toBuilder().compareSourceTiles(true).build();
  }

  /** This spec as an audit: every tile compared with the source's, nothing written or committed. */
  public MigrationSpec asVerification() {
    if (!destination().isDiscard()) {
      throw new IllegalArgumentException("a verification writes nowhere, not to " + destination());
    }
    return toBuilder().compareSourceTiles(true).verifyOnly(true).build();
  }

  /** This spec, cut into the small units of work a distributed runner wants. */
  public MigrationSpec forDistributedRunner() {
    return toBuilder().rangeSizing(BundleRanges.Sizing.DISTRIBUTED).build();
  }

  /** This spec, handing the verified tree to a Tessera deployment's database. */
  public MigrationSpec withTesseraTakeover(TesseraTakeover takeover) {
    return toBuilder().tesseraTakeover(takeover).build();
  }

  /** This spec, filling a Tessera antispam index as well. */
  public MigrationSpec withAntispam(AntispamFill fill) {
    if (tesseraTakeover() == null) {
      throw new IllegalArgumentException("an antispam index is filled only with a take-over");
    }
    if (fill.from() > startSize()) {
      throw new IllegalArgumentException(
          "antispam rows from " + fill.from() + " beyond the committed size " + startSize());
    }
    return toBuilder().antispam(fill).build();
  }

  /** This spec, fetching this many entry tiles at once per worker process. */
  public MigrationSpec withMaxConcurrentFetches(int fetches) {
    if (fetches < 1) {
      throw new IllegalArgumentException(
          "--maxConcurrentFetches must be at least 1, not " + fetches);
    }
    return toBuilder().maxConcurrentFetches(fetches).build();
  }

  public static MigrationSpec create(
      LogLocation source,
      LogLocation destination,
      LogFormat format,
      long treeSize,
      byte[] root,
      byte[] checkpoint,
      TreeEdge prior) {
    if (prior.size() > treeSize) {
      throw new IllegalArgumentException(
          "prior size " + prior.size() + " is beyond the tree size " + treeSize);
    }
    return new AutoValue_MigrationSpec.Builder()
        .runId(UUID.randomUUID().toString())
        .source(source)
        .destination(destination)
        .format(format)
        .treeSize(treeSize)
        .root(root.clone())
        .checkpoint(checkpoint.clone())
        .prior(prior)
        .maxConcurrentFetches(defaultMaxConcurrentFetches(source))
        .rangeSizing(BundleRanges.Sizing.LOCAL)
        .compareSourceTiles(false)
        .verifyOnly(false)
        .replaceUncommitted(false)
        .build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder runId(String value);

    abstract Builder source(LogLocation value);

    abstract Builder destination(LogLocation value);

    abstract Builder format(LogFormat value);

    abstract Builder treeSize(long value);

    abstract Builder root(byte[] value);

    abstract Builder checkpoint(byte[] value);

    abstract Builder prior(TreeEdge value);

    abstract Builder tesseraTakeover(@Nullable TesseraTakeover value);

    abstract Builder antispam(@Nullable AntispamFill value);

    abstract Builder maxConcurrentFetches(int value);

    abstract Builder rangeSizing(BundleRanges.Sizing value);

    abstract Builder compareSourceTiles(boolean value);

    abstract Builder verifyOnly(boolean value);

    abstract Builder replaceUncommitted(boolean value);

    abstract MigrationSpec build();
  }
}
