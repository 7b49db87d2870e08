package dev.tlogmigrate.pipeline;

import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.format.Checkpoint;

/**
 * The outcome of planning a run: the verified source checkpoint, and either the work to do or the
 * fact that the destination already holds exactly this tree.
 *
 * @param checkpointStale whether an up-to-date destination still needs finishing: it lacks the
 *     source checkpoint (a run killed between committing the tree state and writing the checkpoint)
 *     or, with Tessera's Spanner state, the tree state behind an IntCoord already at the size
 *     ({@link MigrationPlanner#finishUpToDate} does both)
 */
public record MigrationPlan(
    Checkpoint checkpoint, MigrationSpec spec, boolean upToDate, boolean checkpointStale) {
  public long entriesToCopy() {
    return spec.treeSize() - spec.startSize();
  }

  /** Entries of the log whose antispam rows the run writes: from the index's nextIdx on. */
  public long antispamEntries() {
    return spec.antispam() == null ? 0 : spec.treeSize() - spec.antispam().from();
  }
}
