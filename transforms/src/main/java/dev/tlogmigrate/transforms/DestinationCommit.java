package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.LogLayout;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.TreeEdgeReader;
import dev.tlogmigrate.transforms.tessera.TesseraTakeover;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The one way a verified tree is committed to the destination, whether a run just rebuilt it or the
 * planner finds an up-to-date destination that a dead run left unfinished. In order: Tessera's
 * database (with a take-over: what its appender continues from, so the commit point), {@code
 * .state/version}, a re-read of the right-edge tiles, {@code .state/treeState}, the checkpoint.
 * Each step is skipped where already done, so that a run killed between two steps is finished by
 * the next.
 */
public final class DestinationCommit {
  private DestinationCommit() {}

  /**
   * Commits {@code spec}'s tree, whose root the caller has verified against the checkpoint's.
   *
   * @return the committed tree state
   */
  public static TreeState commit(MigrationSpec spec, LogStorage destination) throws IOException {
    TreeState verified = new TreeState(spec.treeSize(), spec.root());
    TesseraTakeover takeover = spec.tesseraTakeover();
    if (takeover != null) {
      takeover.database().commit(takeover.integratedFrom(), verified);
    }
    byte[] version = destination.read(LogLayout.VERSION, 64).orElse(null);
    if (version == null) {
      // conditional: a write the client may retry
      destination.replace(LogLayout.VERSION, null, LogLayout.storageVersion());
      destination.flush();
    } else if (!LogLayout.isStorageVersion(version)) {
      throw new InvalidLogException(
          destination.describe(LogLayout.VERSION) + ": unsupported Tessera storage version");
    }
    requireEdgeInPlace(destination, verified);
    // Only from the state this run was planned on: a bucket's generation precondition (a
    // directory's lock) keeps a concurrent job from being overwritten, or overwriting this one.
    TreeState from =
        takeover != null
            ? takeover.treeStateFrom()
            : new TreeState(spec.startSize(), spec.prior().root());
    destination.advanceTreeState(LogLayout.TREE_STATE, from, verified);
    destination.flush();
    destination.advanceCheckpoint(LogLayout.CHECKPOINT, spec.checkpoint(), verified.size());
    destination.flush();
    return verified;
  }

  /**
   * Re-reads the right-edge tiles the new tree state points at: they must be in the destination and
   * hash to the verified root, whoever else writes there (a tile is never overwritten, but may be
   * deleted, or written by another tool).
   */
  private static void requireEdgeInPlace(LogStorage destination, TreeState verified)
      throws IOException {
    if (verified.size() == 0) {
      return;
    }
    byte[] stored = TreeEdgeReader.read(destination, verified.size()).root();
    if (!Arrays.equals(stored, verified.root())) {
      throw new InvalidLogException(
          destination.describe("tile/")
              + ": the right-edge tiles stored for tree size "
              + verified.size()
              + " hash to "
              + Base64.getEncoder().encodeToString(stored)
              + ", not the verified root "
              + verified.rootBase64()
              + ": another writer changed them; nothing committed");
    }
  }
}
