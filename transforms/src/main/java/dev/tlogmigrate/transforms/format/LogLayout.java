package dev.tlogmigrate.transforms.format;

import java.util.Arrays;

/**
 * Where a log's directory or bucket keeps what is not a tile: the public checkpoint (tlog-tiles)
 * and Tessera's private state, which a Tessera frontend continues from (its POSIX, GCP and AWS
 * storages alike).
 */
public final class LogLayout {
  /** The signed checkpoint, published last. */
  public static final String CHECKPOINT = "checkpoint";

  /** Tessera's storage version: {@code 1}. */
  public static final String VERSION = ".state/version";

  /** Tessera's tree state: the integrated size and root, as JSON ({@link TreeState}). */
  public static final String TREE_STATE = ".state/treeState";

  private static final byte[] STORAGE_VERSION = {'1'};

  private LogLayout() {}

  /** The content of {@link #VERSION} that Tessera v1 writes and accepts. */
  public static byte[] storageVersion() {
    return STORAGE_VERSION.clone();
  }

  public static boolean isStorageVersion(byte[] content) {
    return Arrays.equals(content, STORAGE_VERSION);
  }
}
