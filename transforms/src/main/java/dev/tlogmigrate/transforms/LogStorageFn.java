package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.fetch.RunThreads;
import dev.tlogmigrate.transforms.format.LogLayout;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.ObjectDiffersException;
import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import java.io.IOException;
import java.util.Optional;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A DoFn that reads a migration's source and writes its destination: both are opened once per DoFn
 * instance, and what a bundle wrote is durable before the bundle counts as done, which the commit
 * stage relies on. Every call that reads or writes is work of the run ({@link RunThreads#work}), so
 * that a failed run stops it and waits for it.
 */
abstract class LogStorageFn<InputT, OutputT> extends DoFn<InputT, OutputT> {
  protected final MigrationSpec spec;
  private final boolean readsSource;

  /** Null for a DoFn that does not read the source. */
  protected transient LogStorage source;

  protected transient LogStorage destination;
  protected transient RunThreads run;

  /** Counted on the DoFn's own thread only, as every metric. */
  protected final Counter uncommittedReplaced =
      MigrationMetrics.counter(MigrationMetrics.UNCOMMITTED_REPLACED);

  /**
   * @param readsSource whether the DoFn reads the source: only then does it carry the source's
   *     credentials (and open it). No DoFn of these carries a Tessera database: only the stages
   *     that write the antispam rows and hand the tree over do.
   */
  LogStorageFn(MigrationSpec spec, boolean readsSource) {
    MigrationSpec own = spec.withoutTesseraDatabases();
    this.spec = readsSource ? own : own.withoutSourceCredentials();
    this.readsSource = readsSource;
  }

  @Setup
  public void openStorage() {
    run = RunThreads.of(spec.runId());
    source = readsSource ? spec.source().open() : null;
    destination = spec.destination().open();
    setUp();
  }

  /** More per-instance set-up, once the storage is open. */
  protected void setUp() {}

  /**
   * Writes an immutable object: a tile, a bundle, an issuer. One that a failed run left holding
   * other bytes fails the run, unless the operator said that no other job writes the destination
   * ({@link MigrationSpec#replaceUncommitted}): it is then replaced, once the destination's tree
   * state shows that no run has committed beyond this one's start since it was planned (what is
   * above the committed size is referred to by no tree state). On any thread.
   *
   * @return whether it replaced such an object ({@link #uncommittedReplaced} counts them)
   */
  protected boolean writeImmutable(String path, byte[] data) throws IOException {
    try {
      destination.write(path, data);
      return false;
    } catch (ObjectDiffersException e) {
      if (!spec.replaceUncommitted()) {
        throw new ObjectDiffersException(
            e.getMessage()
                + "; once no other job writes "
                + spec.destination()
                + ", run again with --replaceUncommitted");
      }
      requireNothingCommittedBeyondStart(path);
      destination.replaceUncommitted(path, data);
      return true;
    }
  }

  private void requireNothingCommittedBeyondStart(String path) throws IOException {
    String where = destination.describe(LogLayout.TREE_STATE);
    Optional<byte[]> json = destination.read(LogLayout.TREE_STATE, LogStorage.REPLACE_READ_LIMIT);
    long committed = json.isEmpty() ? 0 : TreeState.parse(where, json.get()).size();
    if (committed > spec.startSize()) {
      throw new PreconditionFailedException(
          destination.describe(path)
              + ": not replaced: "
              + where
              + " is at size "
              + committed
              + ", beyond the "
              + spec.startSize()
              + " this run started from; another run has committed since, and it may be its");
    }
  }

  @FinishBundle
  public void flushDestination() throws IOException, InterruptedException {
    run.work(destination.describe(""), destination::flush);
  }

  @Teardown
  public void closeStorage() throws IOException {
    if (source != null) {
      source.close();
    }
    if (destination != null) {
      destination.close();
    }
  }
}
