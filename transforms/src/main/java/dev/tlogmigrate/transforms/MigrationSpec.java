package dev.tlogmigrate.transforms;

import com.google.auto.value.AutoValue;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.storage.LogLocation;
import java.io.Serializable;

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

  public static MigrationSpec create(LogLocation source, LogLocation destination, LogFormat format,
      long treeSize, byte[] root, byte[] checkpoint, TreeEdge prior) {
    if (prior.size() > treeSize) {
      throw new IllegalArgumentException("prior size " + prior.size() + " is beyond the tree size " + treeSize);
    }
    return new AutoValue_MigrationSpec(source, destination, format, treeSize, root.clone(), checkpoint.clone(), prior);
  }
}
