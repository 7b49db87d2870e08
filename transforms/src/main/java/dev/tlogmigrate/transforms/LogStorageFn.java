package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.fetch.RunThreads;
import dev.tlogmigrate.transforms.storage.LogStorage;
import java.io.IOException;
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

  /**
   * @param readsSource whether the DoFn reads the source: only then does it carry the source's
   *     credentials (and open it). No DoFn of these carries the Tessera database: only the final
   *     stage hands the tree over.
   */
  LogStorageFn(MigrationSpec spec, boolean readsSource) {
    MigrationSpec own = spec.withoutTesseraTakeover();
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
