package dev.tlogmigrate.transforms.tessera;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import org.jspecify.annotations.Nullable;

/** The checks a migration makes of a Tessera antispam index, whatever the database. */
public final class AntispamRules {
  private AntispamRules() {}

  /**
   * Why the index must not be filled up to {@code target} from where its follower stands, or null.
   * Its follower never indexes beyond the integrated size, so {@code nextIdx} beyond IntCoord's
   * {@code integrated} size (or the source's) belongs to another log.
   *
   * @param database names the database in the message
   */
  public static @Nullable String refusal(
      Object database, String followCoord, long nextIdx, long integrated, long target) {
    if (nextIdx > target) {
      return database
          + ": "
          + followCoord
          + ".nextIdx is "
          + nextIdx
          + ", ahead of the source checkpoint's size "
          + target
          + "; refusing to go back";
    }
    if (nextIdx > integrated) {
      return database
          + ": "
          + followCoord
          + ".nextIdx is "
          + nextIdx
          + ", beyond the "
          + integrated
          + " entries Tessera's IntCoord has integrated: an index of another log";
    }
    return null;
  }

  /**
   * Checks a row found present where {@code row} was to be written: it must be that row (a run that
   * died wrote it), or an earlier entry with the same identity, below where this run's rows start.
   *
   * @throws InvalidLogException naming the database, the table and the row
   */
  public static void checkPresent(
      Object database, String idSeq, AntispamRow row, long present, long from) {
    if (present == row.index() || present < from) {
      return;
    }
    throw new InvalidLogException(
        database
            + ": "
            + idSeq
            + " holds identity "
            + row.identityHex()
            + " at index "
            + present
            + ", but the log's first entry with that identity from index "
            + from
            + " on is "
            + row.index()
            + "; refusing to mix the index of another log");
  }

  /**
   * What moving {@code nextIdx} from {@code from} to {@code to} found it at, {@code now} (-1 for no
   * row): moved, or already at {@code to} (a re-run).
   *
   * @return whether it was moved
   * @throws PreconditionFailedException when it was at neither: another writer moved it
   */
  public static boolean moved(Object database, String followCoord, long now, long from, long to)
      throws PreconditionFailedException {
    if (now == to) {
      return false;
    }
    if (now == from) {
      return true;
    }
    throw new PreconditionFailedException(
        database
            + ": "
            + followCoord
            + ".nextIdx is "
            + now
            + ", not "
            + from
            + " as this run was planned: another writer (a Tessera frontend's follower?);"
            + " nextIdx not moved");
  }
}
