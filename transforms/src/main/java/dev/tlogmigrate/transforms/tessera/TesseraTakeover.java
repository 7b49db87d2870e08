package dev.tlogmigrate.transforms.tessera;

import com.google.auto.value.AutoValue;
import dev.tlogmigrate.transforms.format.TreeState;
import java.io.Serializable;

/**
 * A run's hand-over of the verified tree to a Tessera deployment's database, as the planner checked
 * it: the database, the IntCoord state the commit moves from, and the destination's tree state the
 * commit advances from.
 */
@AutoValue
public abstract class TesseraTakeover implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract TesseraDatabase database();

  /**
   * The IntCoord state (size, root) the planner read and checked against the destination's tiles:
   * the empty tree when the database held no Tessera state.
   */
  public abstract TreeState integratedFrom();

  /**
   * The destination's {@code .state/treeState} as the planner read it (the empty tree for none):
   * where the tree state advances from. It is behind the run's start when the run starts from an
   * IntCoord that is ahead of it.
   */
  public abstract TreeState treeStateFrom();

  public static TesseraTakeover of(
      TesseraDatabase database, TreeState integratedFrom, TreeState treeStateFrom) {
    return new AutoValue_TesseraTakeover(database, integratedFrom, treeStateFrom);
  }
}
