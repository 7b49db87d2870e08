package dev.tlogmigrate.transforms.tessera;

import java.io.IOException;
import java.util.List;

/**
 * Writes rows of an antispam index as Tessera's follower does: a row whose identity is there
 * already is left as it is (the first index wins), and is checked ({@link AntispamRules}).
 * Idempotent: rows written by a run that died are met again as present.
 */
public interface AntispamWriter extends AutoCloseable {
  /**
   * Writes the rows that are absent, refusing any present row that disagrees with the log.
   *
   * @param from where the run's rows start ({@code nextIdx} as planned): a present row below it is
   *     an earlier entry with the same identity
   * @return how many rows were written (the others were present)
   */
  long write(List<AntispamRow> rows, long from) throws IOException;

  @Override
  void close() throws IOException;
}
