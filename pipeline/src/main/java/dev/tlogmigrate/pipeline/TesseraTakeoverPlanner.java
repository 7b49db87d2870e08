package dev.tlogmigrate.pipeline;

import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.TreeEdgeReader;
import dev.tlogmigrate.transforms.tessera.TesseraCoordinates;
import dev.tlogmigrate.transforms.tessera.TesseraDatabase;
import dev.tlogmigrate.transforms.tessera.TesseraTakeoverRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The planner's part for a destination that a Tessera deployment takes over: its database's state
 * ({@code IntCoord}, size S) next to the bucket's own tree state ({@code .state/treeState}, size
 * T).
 *
 * <ul>
 *   <li>Refused before anything is copied: a schema version other than 1, S ahead of the source,
 *       another root at the source's size, entries sequenced but not integrated.
 *   <li>S &gt; T (Tessera integrated beyond the bucket's tree state: its own migration tool, an
 *       appender, or a run of this tool that died between its database commit and the tree state):
 *       the run starts from S. The right-edge tiles at S come from the bucket and must hash to
 *       IntCoord's root.
 *   <li>S &le; T: the run starts from T as without a database, once the tree at T is shown to
 *       extend Tessera's: the edge at S cut out of T's tiles must hash to IntCoord's root.
 * </ul>
 *
 * The commit then moves IntCoord only from that checked state (or from the empty tree).
 */
final class TesseraTakeoverPlanner {
  /**
   * @param prior where the copy starts
   * @param from the IntCoord state checked against the destination's tiles
   * @param finishing whether an up-to-date destination still lacks the take-over state in the
   *     database or its tree state (a run that died after its database commit, or a log moved by
   *     another tool)
   */
  record Start(TreeEdge prior, TreeState from, boolean upToDate, boolean finishing) {}

  private TesseraTakeoverPlanner() {}

  static Start plan(
      TesseraDatabase config,
      Checkpoint cp,
      @Nullable TreeState committed,
      TreeEdge prior,
      boolean upToDate,
      LogStorage dst)
      throws IOException {
    TreeState target = new TreeState(cp.size(), cp.root());
    TesseraCoordinates s = config.read();
    String refusal = TesseraTakeoverRules.refusal(config, s, target);
    if (refusal != null) {
      throw new InvalidLogException(refusal + "; nothing written");
    }
    TreeState at = s.integrated();
    if (at.size() > prior.size()) {
      prior = TreeEdgeReader.read(dst, at.size());
      upToDate = at.size() == cp.size();
    }
    TreeEdge edge = at.size() == prior.size() ? prior : edgeWithin(prior, at.size(), dst);
    if (!Arrays.equals(edge.root(), at.root())) {
      throw new InvalidLogException(
          config
              + ": Tessera's IntCoord is at size "
              + at.size()
              + " with root "
              + at.rootBase64()
              + ", but the destination's tiles hash to "
              + Base64.getEncoder().encodeToString(edge.root())
              + " at that size; refusing to mix two trees");
    }
    boolean finishing = upToDate && (!s.holds(target) || !target.equals(committed));
    return new Start(prior, at, upToDate, finishing);
  }

  /**
   * The right edge of the tree of size {@code size} as a prefix of {@code larger}: per level, the
   * front of larger's edge tile when it is the same tile, else the front of the full tile, which
   * the larger tree holds below its edge.
   */
  private static TreeEdge edgeWithin(TreeEdge larger, long size, LogStorage dst)
      throws IOException {
    try {
      return TreeEdge.of(
          size,
          level -> {
            int bytes = Tiles.edgeWidth(size, level) * Tiles.HASH_SIZE;
            long index = Tiles.edgeIndex(size, level);
            if (index == Tiles.edgeIndex(larger.size(), level) && larger.tile(level) != null) {
              return Arrays.copyOf(larger.tile(level), bytes);
            }
            TilePath full = TilePath.hashTile(level, index, Tiles.WIDTH);
            try {
              Optional<byte[]> tile = dst.read(full.path(), Tiles.FULL_TILE_BYTES);
              if (tile.isEmpty() || tile.get().length != Tiles.FULL_TILE_BYTES) {
                throw new InvalidLogException(
                    dst.describe(full.path())
                        + ": full tile below the committed size "
                        + larger.size()
                        + " is "
                        + tile.map(t -> t.length + " bytes").orElse("missing"));
              }
              return Arrays.copyOf(tile.get(), bytes);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
