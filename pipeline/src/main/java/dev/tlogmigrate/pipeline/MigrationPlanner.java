package dev.tlogmigrate.pipeline;

import dev.tlogmigrate.transforms.CommitTreeStateFn;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.CheckpointVerifier;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.SignedNote;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.LogLocation;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.TreeEdgeReader;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Decides what a run must do, before any worker starts: verifies the source checkpoint, reads and
 * verifies the destination's committed state, and refuses what must not be done (a destination
 * ahead of the source, a split view, another log's destination).
 */
public final class MigrationPlanner {
  private MigrationPlanner() {}

  public static MigrationPlan plan(LogLocation source, LogLocation destination, LogFormat format, CheckpointVerifier verifier)
      throws IOException {
    byte[] note;
    try (LogStorage src = source.open()) {
      note = src.read(CommitTreeStateFn.CHECKPOINT_PATH, SignedNote.MAX_BYTES)
          .orElseThrow(() -> new InvalidLogException(src.describe(CommitTreeStateFn.CHECKPOINT_PATH) + ": source checkpoint not found"));
      Checkpoint cp = verifier.verify(src.describe(CommitTreeStateFn.CHECKPOINT_PATH), note);
      try (LogStorage dst = destination.open()) {
        return plan(cp, note, source, destination, format, dst);
      }
    }
  }

  private static MigrationPlan plan(Checkpoint cp, byte[] note, LogLocation source, LogLocation destination,
      LogFormat format, LogStorage dst) throws IOException {
    Optional<byte[]> version = dst.read(CommitTreeStateFn.VERSION_PATH, 64);
    if (version.isPresent() && !Arrays.equals(version.get(), new byte[] {'1'})) {
      throw new InvalidLogException(dst.describe(CommitTreeStateFn.VERSION_PATH) + ": not a version-1 Tessera log directory");
    }
    Optional<byte[]> existingNote = dst.read(CommitTreeStateFn.CHECKPOINT_PATH, SignedNote.MAX_BYTES);
    Checkpoint existing = null;
    if (existingNote.isPresent()) {
      String where = dst.describe(CommitTreeStateFn.CHECKPOINT_PATH);
      existing = Checkpoint.parse(where, SignedNote.parse(where, existingNote.get()).text());
      if (!existing.origin().equals(cp.origin())) {
        throw new InvalidLogException(where + ": the destination holds log '" + existing.origin()
            + "', not '" + cp.origin() + "'; refusing to mix two logs");
      }
    }

    String statePath = dst.describe(CommitTreeStateFn.TREE_STATE_PATH);
    TreeState committed = dst.read(CommitTreeStateFn.TREE_STATE_PATH, 4096)
        .map(json -> TreeState.parse(statePath, json))
        .orElse(null);
    TreeEdge prior = TreeEdge.empty();
    boolean upToDate = false;
    if (committed != null) {
      if (committed.size() > cp.size()) {
        throw new InvalidLogException(statePath + ": the destination is at size " + committed.size()
            + ", ahead of the source checkpoint's " + cp.size() + "; refusing to go back");
      }
      if (committed.size() == cp.size() && !Arrays.equals(committed.root(), cp.root())) {
        throw new InvalidLogException(statePath + ": split view at size " + cp.size() + ": destination root "
            + committed.rootBase64() + ", source checkpoint root " + cp.rootBase64());
      }
      prior = TreeEdgeReader.read(dst, committed.size());
      if (!Arrays.equals(prior.root(), committed.root())) {
        throw new InvalidLogException(statePath + ": the destination's tiles hash to " + Base64.getEncoder().encodeToString(prior.root())
            + ", not its tree state's root " + committed.rootBase64());
      }
      upToDate = committed.size() == cp.size();
    }
    boolean checkpointStale = existing == null || existing.size() != cp.size();
    MigrationSpec spec = MigrationSpec.create(source, destination, format, cp.size(), cp.root(), note, prior);
    return new MigrationPlan(cp, spec, upToDate, checkpointStale);
  }

  /** Writes the source checkpoint to an up-to-date destination that lacks it. */
  public static void publishCheckpoint(MigrationPlan plan) throws IOException {
    try (LogStorage dst = plan.spec().destination().open()) {
      dst.write(CommitTreeStateFn.CHECKPOINT_PATH, plan.spec().checkpoint());
      dst.flush();
    }
  }
}
