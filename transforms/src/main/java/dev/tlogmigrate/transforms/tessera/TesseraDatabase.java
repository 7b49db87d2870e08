package dev.tlogmigrate.transforms.tessera;

import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.location.LogLocation;
import java.io.IOException;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * The database in which a Tessera deployment keeps its sequencing and integration state (Spanner on
 * Google Cloud, MySQL on AWS), to which a verified migration hands the log over. Serializable: the
 * final pipeline stage carries it to the worker that commits.
 */
public interface TesseraDatabase extends Serializable {
  /** Reads the state without writing; a database without Tessera's tables reads as absent. */
  TesseraCoordinates read() throws IOException;

  /**
   * The take-over, in one transaction, after creating whatever of Tessera's schema is missing:
   * checks {@code IntCoord} ({@link TesseraTakeoverRules}) and sets {@code IntCoord} and {@code
   * SeqCoord.next} to {@code target}. Call it only with a verified tree.
   *
   * @param planned the IntCoord state the run was planned from; null for a database without
   *     Tessera's state
   * @return false if the database already held exactly this take-over state (a re-run)
   * @throws dev.tlogmigrate.transforms.storage.PreconditionFailedException when another writer
   *     moved IntCoord since the run was planned
   */
  boolean commit(@Nullable TreeState planned, TreeState target) throws IOException;

  /**
   * Why this database cannot take over a log stored at {@code destination} (a one-line message
   * naming the option), or null: Tessera serves its log from the storage that goes with it.
   */
  @Nullable String refuseDestination(LogLocation destination);
}
