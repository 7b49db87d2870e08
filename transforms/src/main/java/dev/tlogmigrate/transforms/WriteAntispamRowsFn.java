package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.fetch.RunThreads;
import dev.tlogmigrate.transforms.tessera.AntispamRow;
import dev.tlogmigrate.transforms.tessera.AntispamWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Writes the antispam rows of one key range from the worker that holds it: the lowest index of each
 * identity, sorted by identity, in batches of {@link #ROWS_PER_BATCH} (one database round trip each
 * when its rows are absent). Rows present already are checked, not overwritten ({@link
 * AntispamWriter}), so a range retried after a failure writes nothing twice. It is work of the run
 * ({@link RunThreads}): once the run has failed, no range starts and a range being written is
 * interrupted and awaited before the command returns.
 */
class WriteAntispamRowsFn extends DoFn<KV<Integer, Iterable<KV<byte[], Long>>>, Void> {
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

  WriteAntispamRowsFn(MigrationSpec spec) {
    // Only the antispam index, and its password, of all the run's secrets.
    this.spec = spec.withoutSourceCredentials().withoutTesseraTakeover();
  }

  @Setup
  public void open() throws IOException {
    writer = spec.antispam().index().writer();
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<KV<byte[], Long>>> range)
      throws IOException, InterruptedException {
    RunThreads.of(spec.runId())
        .work(
            spec.antispam().index() + ": the rows of key range " + range.getKey(),
            () -> write(range.getValue()));
  }

  private void write(Iterable<KV<byte[], Long>> identities) throws IOException {
    Map<ByteBuffer, Long> first = new HashMap<>();
    for (KV<byte[], Long> id : identities) {
      first.merge(ByteBuffer.wrap(id.getKey()), id.getValue(), Math::min);
    }
    List<AntispamRow> rows = new ArrayList<>(first.size());
    first.forEach((h, index) -> rows.add(new AntispamRow(h.array(), index)));
    rows.sort(BY_IDENTITY);
    for (int i = 0; i < rows.size(); i += ROWS_PER_BATCH) {
      List<AntispamRow> batch = rows.subList(i, Math.min(rows.size(), i + ROWS_PER_BATCH));
      long n = writer.write(batch, spec.antispam().from());
      written.inc(n);
      present.inc(batch.size() - n);
    }
  }

  @Teardown
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }
}
