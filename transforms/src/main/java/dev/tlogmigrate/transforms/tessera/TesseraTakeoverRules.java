package dev.tlogmigrate.transforms.tessera;

import dev.tlogmigrate.transforms.format.TreeState;
import org.jspecify.annotations.Nullable;

/** The checks every take-over of Tessera's coordination state makes, whatever the database. */
public final class TesseraTakeoverRules {
  private TesseraTakeoverRules() {}

  /**
   * Why Tessera's state must not be moved to {@code target} whatever the run planned, or null: a
   * schema version this tool does not know, an integrated tree ahead of the target or with another
   * root at its size, or entries sequenced but not integrated (an appender is or was running).
   *
   * @param database names the database in the message
   */
  public static @Nullable String refusal(Object database, TesseraCoordinates s, TreeState target) {
    String where = database + ": Tessera's ";
    if (s.compatibilityVersion() != TesseraCoordinates.COMPATIBILITY_VERSION) {
      return where
          + "compatibilityVersion is "
          + s.compatibilityVersion()
          + ", not "
          + TesseraCoordinates.COMPATIBILITY_VERSION;
    }
    TreeState at = s.integrated();
    if (at.size() > target.size()) {
      return where
          + "IntCoord is at size "
          + at.size()
          + ", ahead of the source checkpoint's "
          + target.size()
          + "; refusing to go back";
    }
    if (at.size() == target.size() && !at.equals(target)) {
      return where
          + "IntCoord is a split view at size "
          + at.size()
          + ": root "
          + at.rootBase64()
          + ", source checkpoint root "
          + target.rootBase64();
    }
    if (at.size() == 0 && !at.equals(TesseraCoordinates.EMPTY)) {
      return where
          + "IntCoord is at size 0 with root "
          + at.rootBase64()
          + ", not the empty tree's";
    }
    if (s.next() > at.size() || s.pendingEntries()) {
      return where
          + "log is not quiescent: SeqCoord.next is "
          + s.next()
          + ", IntCoord.seq "
          + at.size()
          + (s.pendingEntries() ? ", and Seq holds entries awaiting integration" : "")
          + "; stop every Tessera frontend on it and let it integrate first";
    }
    return null;
  }

  /**
   * Inside the commit's transaction, on the state it read: why it must not move to {@code target}
   * ({@link #refusal}, then {@link #conflict}), or null. Null also when the state already holds the
   * target: the caller then writes nothing.
   */
  public static @Nullable Refusal refusalInTransaction(
      Object database, TesseraCoordinates s, TreeState planned, TreeState target) {
    String refusal = refusal(database, s, target);
    return refusal != null
        ? new Refusal(refusal, false)
        : conflict(database, s.integrated(), planned, target);
  }

  /**
   * Inside the commit's transaction, after {@link #refusal} passed: why IntCoord, found at {@code
   * at}, must not move to {@code target}, or null. It may move from the empty tree, from what the
   * run was planned on ({@code planned}), or not at all when it already holds the target.
   *
   * @return null, or a refusal; {@link Refusal#concurrent()} when another writer moved IntCoord
   *     since the run was planned
   */
  public static @Nullable Refusal conflict(
      Object database, TreeState at, TreeState planned, TreeState target) {
    if (at.size() >= target.size() || at.equals(planned) || at.equals(TesseraCoordinates.EMPTY)) {
      return null;
    }
    if (at.size() == planned.size()) {
      return new Refusal(
          database
              + ": Tessera's IntCoord at size "
              + at.size()
              + " has root "
              + at.rootBase64()
              + ", but the destination's tree at that size, which the verified tree extends, has"
              + " root "
              + planned.rootBase64(),
          false);
    }
    return new Refusal(
        database
            + ": Tessera's IntCoord moved to size "
            + at.size()
            + " since this run was planned at size "
            + planned.size()
            + ": another writer",
        true);
  }

  /** A refusal met inside the commit's transaction. */
  public record Refusal(String message, boolean concurrent) {}
}
