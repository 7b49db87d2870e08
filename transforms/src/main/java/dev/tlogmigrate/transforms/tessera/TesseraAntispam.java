package dev.tlogmigrate.transforms.tessera;

import java.io.IOException;
import java.io.Serializable;

/**
 * The persistent antispam index of a Tessera deployment, in a database of its own: each entry's
 * identity with the first index the log holds it at ({@code IDSeq} on Spanner, {@code
 * AntispamIDSeq} on MySQL), and how far its follower has indexed the log ({@code
 * FollowCoord.nextIdx}, {@code AntispamFollowCoord.nextIdx}). A migration fills it, so that the
 * frontend that takes the log over answers a resubmitted entry with its index from the first
 * request, instead of pushing every submission back until its follower has read the whole log.
 *
 * <p>The order is what keeps Tessera's follower right: the rows of [nextIdx, N) first, from the
 * workers; then the log's own commit (IntCoord at N); then {@code nextIdx} moved to N, never past
 * what is committed. Serializable: the workers that write rows and the one that moves {@code
 * nextIdx} carry it.
 */
public interface TesseraAntispam extends Serializable {
  /**
   * Creates whatever of Tessera's antispam tables and initial rows is missing, as its antispam does
   * on start (nothing existing is changed), and reads {@code nextIdx}.
   *
   * @throws dev.tlogmigrate.transforms.format.InvalidLogException for a schema Tessera would not
   *     start on
   */
  long prepare() throws IOException;

  /** The name of the follower's table, {@code FollowCoord} or {@code AntispamFollowCoord}. */
  String followCoord();

  /** A writer of rows for one worker; the caller closes it. */
  AntispamWriter writer() throws IOException;

  /**
   * Moves {@code nextIdx} from {@code from}, where the run was planned, to {@code to}, in one
   * transaction. Call it only once every row below {@code to} is written and the log is committed
   * at {@code to}.
   *
   * @return false if it already was at {@code to} (a re-run)
   * @throws dev.tlogmigrate.transforms.storage.PreconditionFailedException when it is neither
   *     ({@code from} nor {@code to}): another writer moved it
   */
  boolean advance(long from, long to) throws IOException;
}
