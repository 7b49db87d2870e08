package dev.tlogmigrate.pipeline;

import dev.tlogmigrate.transforms.DestinationCommit;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.CheckpointVerifier;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.LogLayout;
import dev.tlogmigrate.transforms.format.SignedNote;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.TreeEdgeReader;
import dev.tlogmigrate.transforms.tessera.AntispamFill;
import dev.tlogmigrate.transforms.tessera.AntispamRules;
import dev.tlogmigrate.transforms.tessera.TesseraAntispam;
import dev.tlogmigrate.transforms.tessera.TesseraCoordinates;
import dev.tlogmigrate.transforms.tessera.TesseraDatabase;
import dev.tlogmigrate.transforms.tessera.TesseraTakeover;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decides what a run must do, before any worker starts: verifies the source checkpoint, reads and
 * verifies the destination's committed state, and refuses what must not be done (a destination
 * ahead of the source, a split view, another log's destination).
 */
public final class MigrationPlanner {
  private MigrationPlanner() {}

  /**
   * Plans a run: the verified source checkpoint, and where the destination's verified state lets
   * the copy start.
   *
   * @param tessera the database of the Tessera deployment that takes the destination over, or null:
   *     its IntCoord is checked and may be where the run starts ({@link TesseraTakeoverPlanner})
   */
  public static MigrationPlan plan(
      LogLocation source,
      LogLocation destination,
      LogFormat format,
      CheckpointVerifier verifier,
      @Nullable TesseraDatabase tessera)
      throws IOException {
    return plan(source, destination, format, verifier, tessera, null);
  }

  /**
   * Plans a run that also fills the deployment's antispam index.
   *
   * @param antispam Tessera's antispam index for the log (with {@code tessera} only), or null: its
   *     tables are created where missing and its follower's position is checked; the run writes
   *     rows from there
   */
  public static MigrationPlan plan(
      LogLocation source,
      LogLocation destination,
      LogFormat format,
      CheckpointVerifier verifier,
      @Nullable TesseraDatabase tessera,
      @Nullable TesseraAntispam antispam)
      throws IOException {
    if (antispam != null && tessera == null) {
      throw new IllegalArgumentException(
          "an antispam index is filled only for a Tessera deployment that takes the log over");
    }
    String refusal = tessera == null ? null : tessera.refuseDestination(destination);
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    byte[] note;
    try (LogStorage src = source.open()) {
      note =
          src.read(LogLayout.CHECKPOINT, SignedNote.MAX_BYTES)
              .orElseThrow(
                  () ->
                      new InvalidLogException(
                          src.describe(LogLayout.CHECKPOINT) + ": source checkpoint not found"));
      Checkpoint cp = verifier.verify(src.describe(LogLayout.CHECKPOINT), note);
      requireLastTile(src, format, cp.size());
      try (LogStorage dst = destination.open()) {
        MigrationPlan plan = planOnto(dst, cp, note, source, destination, format, tessera);
        return antispam == null ? plan : withAntispam(plan, antispam);
      }
    }
  }

  /** The plan for a verified source checkpoint, given what the opened destination holds. */
  private static MigrationPlan planOnto(
      LogStorage dst,
      Checkpoint cp,
      byte[] note,
      LogLocation source,
      LogLocation destination,
      LogFormat format,
      @Nullable TesseraDatabase tessera)
      throws IOException {
    Optional<byte[]> version = dst.read(LogLayout.VERSION, 64);
    if (version.isPresent() && !LogLayout.isStorageVersion(version.get())) {
      throw new InvalidLogException(
          dst.describe(LogLayout.VERSION) + ": not a version-1 Tessera log directory");
    }
    Optional<byte[]> existingNote = dst.read(LogLayout.CHECKPOINT, SignedNote.MAX_BYTES);
    Checkpoint existing = null;
    if (existingNote.isPresent()) {
      String where = dst.describe(LogLayout.CHECKPOINT);
      existing = Checkpoint.parse(where, SignedNote.parse(where, existingNote.get()).text());
      if (!existing.origin().equals(cp.origin())) {
        throw new InvalidLogException(
            where
                + ": the destination holds log '"
                + existing.origin()
                + "', not '"
                + cp.origin()
                + "'; refusing to mix two logs");
      }
    }

    String statePath = dst.describe(LogLayout.TREE_STATE);
    TreeState committed =
        dst.read(LogLayout.TREE_STATE, 4096)
            .map(json -> TreeState.parse(statePath, json))
            .orElse(null);
    TreeEdge prior = TreeEdge.empty();
    boolean upToDate = false;
    if (committed != null) {
      if (committed.size() > cp.size()) {
        throw new InvalidLogException(
            statePath
                + ": the destination is at size "
                + committed.size()
                + ", ahead of the source checkpoint's "
                + cp.size()
                + "; refusing to go back");
      }
      if (committed.size() == cp.size() && !Arrays.equals(committed.root(), cp.root())) {
        throw new InvalidLogException(
            statePath
                + ": split view at size "
                + cp.size()
                + ": destination root "
                + committed.rootBase64()
                + ", source checkpoint root "
                + cp.rootBase64());
      }
      prior = TreeEdgeReader.read(dst, committed.size());
      if (!Arrays.equals(prior.root(), committed.root())) {
        throw new InvalidLogException(
            statePath
                + ": the destination's tiles hash to "
                + Base64.getEncoder().encodeToString(prior.root())
                + ", not its tree state's root "
                + committed.rootBase64());
      }
      upToDate = committed.size() == cp.size();
    }
    boolean checkpointStale = existing == null || existing.size() != cp.size();
    TesseraTakeoverPlanner.Start takeover = null;
    if (tessera != null) {
      takeover = TesseraTakeoverPlanner.plan(tessera, cp, committed, prior, upToDate, dst);
      prior = takeover.prior();
      upToDate = takeover.upToDate();
      checkpointStale |= takeover.finishing(); // finishUpToDate finishes it
    }
    MigrationSpec spec =
        MigrationSpec.create(source, destination, format, cp.size(), cp.root(), note, prior);
    if (takeover != null) {
      spec =
          spec.withTesseraTakeover(
              TesseraTakeover.of(
                  tessera,
                  takeover.from(),
                  committed != null ? committed : TesseraCoordinates.EMPTY));
    }
    return new MigrationPlan(cp, spec, upToDate, checkpointStale);
  }

  /**
   * The plan, filling {@code antispam} from its follower's position, once that is checked against
   * the log: never beyond what Tessera integrated, nor beyond the source.
   */
  private static MigrationPlan withAntispam(MigrationPlan plan, TesseraAntispam antispam)
      throws IOException {
    long nextIdx = antispam.prepare();
    String refusal =
        AntispamRules.refusal(
            antispam,
            antispam.followCoord(),
            nextIdx,
            plan.spec().tesseraTakeover().integratedFrom().size(),
            plan.spec().treeSize());
    if (refusal != null) {
      throw new InvalidLogException(refusal + "; nothing written");
    }
    return new MigrationPlan(
        plan.checkpoint(),
        plan.spec().withAntispam(AntispamFill.of(antispam, nextIdx)),
        plan.upToDate(),
        plan.checkpointStale());
  }

  /**
   * A signed checkpoint may still claim a size the source cannot back (a hostile or broken log):
   * one request for the last entry tile it implies refuses that before a pipeline is planned over
   * billions of bundles that do not exist.
   */
  private static void requireLastTile(LogStorage src, LogFormat format, long size)
      throws IOException {
    if (size == 0) {
      return;
    }
    long last = (size - 1) / Tiles.WIDTH;
    TilePath path = format.tilePath(last, Tiles.bundleWidth(size, last));
    if (src.read(path.path(), format.maxTileBytes()).isEmpty()
        && (path.isFull() || src.read(path.full().path(), format.maxTileBytes()).isEmpty())) {
      throw new InvalidLogException(
          src.describe(path.path())
              + ": the checkpoint's tree size "
              + size
              + " implies this entry tile, which the source does not have");
    }
  }

  /**
   * Finishes an up-to-date destination that lacks its checkpoint, or with a take-over, Tessera's
   * state or the tree state: commits the tree the planner verified (the checkpoint's signature, the
   * tiles' root at its size, IntCoord's root against the tiles). Never publishes a checkpoint older
   * than what is there.
   */
  public static void finishUpToDate(MigrationPlan plan) throws IOException {
    try (LogStorage dst = plan.spec().destination().open()) {
      DestinationCommit.commit(plan.spec(), dst);
    }
  }
}
