package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.tessera.AntispamRow;
import dev.tlogmigrate.transforms.tessera.AntispamWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Writes antispam rows from the worker that holds them, in batches of {@link #ROWS_PER_BATCH} (each
 * one database round trip when its rows are absent), sorted by identity so that a batch touches the
 * index's key space in order. Rows present already are checked, not overwritten ({@link
 * AntispamWriter}), so a bundle retried after a failure writes nothing twice.
 */
class WriteAntispamRowsFn extends DoFn<KV<byte[], Long>, Void> {
  /**
   * Rows per write: 2,000 mutations in a Spanner commit (of the 80,000 allowed), 72 KB of values in
   * a MySQL statement. Measured on the emulator and MariaDB (launcher/benchmark/BENCHMARKS.md).
   */
  static final int ROWS_PER_BATCH = 1000;

  private static final Comparator<AntispamRow> BY_IDENTITY =
      (a, b) -> Arrays.compareUnsigned(a.identity(), b.identity());

  private final MigrationSpec spec;
  private final Counter written = MigrationMetrics.counter(MigrationMetrics.ANTISPAM_ROWS_WRITTEN);
  private final Counter present = MigrationMetrics.counter(MigrationMetrics.ANTISPAM_ROWS_PRESENT);

  private transient AntispamWriter writer;
  private transient List<AntispamRow> batch;

  WriteAntispamRowsFn(MigrationSpec spec) {
    this.spec = spec;
  }

  @Setup
  public void open() throws IOException {
    writer = spec.antispam().index().writer();
  }

  @StartBundle
  public void startBundle() {
    batch = new ArrayList<>(ROWS_PER_BATCH);
  }

  @ProcessElement
  public void process(@Element KV<byte[], Long> row) throws IOException {
    batch.add(new AntispamRow(row.getKey(), row.getValue()));
    if (batch.size() == ROWS_PER_BATCH) {
      flush();
    }
  }

  @FinishBundle
  public void finishBundle() throws IOException {
    flush();
  }

  private void flush() throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    batch.sort(BY_IDENTITY);
    long n = writer.write(batch, spec.antispam().from());
    written.inc(n);
    present.inc(batch.size() - n);
    batch.clear();
  }

  @Teardown
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }
}
