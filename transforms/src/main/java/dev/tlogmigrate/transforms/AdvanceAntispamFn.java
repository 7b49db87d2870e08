package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.fetch.RunThreads;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.tessera.AntispamFill;
import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * The last step of a run that fills an antispam index: once every row is written and the log is
 * committed, moves the follower's {@code nextIdx} to the committed size, so that the frontend's
 * follower carries on from there instead of reading the whole log. Never past what Tessera's
 * database has integrated: a follower ahead of it would skip the entries in between for ever.
 */
public class AdvanceAntispamFn extends DoFn<TreeState, TreeState> {
  private final MigrationSpec spec;

  public AdvanceAntispamFn(MigrationSpec spec) {
    this.spec = spec.withoutSourceCredentials(); // it reads nothing from the source
  }

  @ProcessElement
  public void process(@Element TreeState committed, OutputReceiver<TreeState> out)
      throws IOException, InterruptedException {
    // Work of the run, as every write is: not started once the run has failed elsewhere.
    RunThreads.of(spec.runId())
        .work(spec.antispam().index() + ": nextIdx", () -> advance(committed));
    out.output(committed);
  }

  private void advance(TreeState committed) throws IOException {
    long integrated = spec.tesseraTakeover().database().read().integrated().size();
    AntispamFill fill = spec.antispam();
    if (integrated < committed.size()) {
      throw new InvalidLogException(
          spec.tesseraTakeover().database()
              + ": Tessera's IntCoord is at size "
              + integrated
              + ", below the "
              + committed.size()
              + " this run committed; "
              + fill.index()
              + ": nextIdx not moved");
    }
    fill.index().advance(fill.from(), committed.size());
  }
}
