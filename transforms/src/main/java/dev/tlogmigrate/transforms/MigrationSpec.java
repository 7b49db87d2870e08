package dev.tlogmigrate.transforms;

import com.google.auto.value.AutoValue;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.LogLocation;
import dev.tlogmigrate.transforms.tessera.TesseraSpannerConfig;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * What one migration run does: copy the source log from the destination's committed size up to the
 * verified checkpoint's size, and commit only if the rebuilt tree has the checkpoint's root.
 */
@AutoValue
public abstract class MigrationSpec implements Serializable {
  private static final long serialVersionUID = 1L;

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

  /** Tessera's Spanner database that the final stage hands the verified tree to; null for none. */
  public abstract @Nullable TesseraSpannerConfig tesseraSpanner();

  /**
   * The IntCoord state (size, root) the planner read from {@link #tesseraSpanner()} and checked
   * against the destination's tiles; null when the database held no Tessera state.
   */
  public abstract @Nullable TreeState tesseraSpannerFrom();

  /**
   * With {@link #tesseraSpanner()}: the destination's {@code .state/treeState} as the planner read it
   * (size 0 for none), where the tree state advances from. It is behind {@link #prior()} when the
   * run starts from an IntCoord that is ahead of it.
   */
  public abstract @Nullable TreeState tesseraTreeStateFrom();

  /** This spec, handing the verified tree to Tessera's Spanner state, planned from these states. */
  public MigrationSpec withTesseraSpanner(TesseraSpannerConfig spanner, TreeState from, TreeState treeStateFrom) {
    return new AutoValue_MigrationSpec(source(), destination(), format(), treeSize(), root(), checkpoint(), prior(),
        spanner, from, treeStateFrom);
  }

  public static MigrationSpec create(LogLocation source, LogLocation destination, LogFormat format,
      long treeSize, byte[] root, byte[] checkpoint, TreeEdge prior) {
    if (prior.size() > treeSize) {
      throw new IllegalArgumentException("prior size " + prior.size() + " is beyond the tree size " + treeSize);
    }
    return new AutoValue_MigrationSpec(source, destination, format, treeSize, root.clone(), checkpoint.clone(), prior, null, null, null);
  }
}
