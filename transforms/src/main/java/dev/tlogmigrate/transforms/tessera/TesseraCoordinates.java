package dev.tlogmigrate.transforms.tessera;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeState;
import org.jspecify.annotations.Nullable;

/**
 * What Tessera's coordination tables hold, in Spanner (Google Cloud) or MySQL (AWS) alike; where a
 * table or row is missing, the value Tessera's initialisation would put there.
 *
 * @param initialised whether every table and initial row exists
 * @param integrated {@code IntCoord}: the integrated size and root an appender continues from
 * @param next {@code SeqCoord.next}: the next index an appender assigns
 * @param pendingEntries whether {@code Seq} holds sequenced entries not yet integrated
 */
public record TesseraCoordinates(
    boolean initialised,
    long compatibilityVersion,
    TreeState integrated,
    long next,
    boolean pendingEntries) {
  /** Tessera v1's {@code Tessera.compatibilityVersion}, on both storages. */
  public static final long COMPATIBILITY_VERSION = 1;

  /** The empty tree: what a freshly initialised Tessera database holds. */
  public static final TreeState EMPTY = new TreeState(0, Rfc6962.emptyRoot());

  /** Whether Tessera would already take over {@code target}: nothing left to write. */
  public boolean holds(TreeState target) {
    return initialised && integrated.equals(target) && next == target.size() && !pendingEntries;
  }

  /**
   * IntCoord's {@code seq} and {@code rootHash} as the tree state they must be.
   *
   * @param where names the database and table in the message
   * @throws InvalidLogException when they are not a tree state
   */
  public static TreeState integrated(String where, long seq, byte @Nullable [] rootHash) {
    byte[] root = rootHash == null ? new byte[0] : rootHash;
    if (seq < 0 || root.length != Tiles.HASH_SIZE) {
      throw new InvalidLogException(
          where
              + " holds size "
              + seq
              + " and a root of "
              + root.length
              + " bytes: not a tree state");
    }
    return new TreeState(seq, root);
  }
}
