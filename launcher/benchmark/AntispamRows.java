// Rows per second that tlog-migrate's antispam writers (AntispamWriter, as WriteAntispamRowsFn
// uses them: sorted batches of 1,000 rows) write into Tessera's antispam index on the Cloud Spanner
// emulator and on MariaDB; and, for comparison, Beam's SpannerIO.write on the DirectRunner. Run by
// antispam.sh, compiled against launcher/target/tlog-migrate.jar, with the arguments
//   ROWS SPANNER_EMULATOR_HOST JDBC_URL_WITHOUT_DATABASE USER PASSWORD SPANNERIO_ROWS
// Prints the rows of a Markdown table: | database | run | threads | rows | seconds | rows/s |.

import com.google.cloud.ByteArray;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import dev.tlogmigrate.transforms.storage.gcs.GcpAuth;
import dev.tlogmigrate.transforms.tessera.AntispamRow;
import dev.tlogmigrate.transforms.tessera.AntispamWriter;
import dev.tlogmigrate.transforms.tessera.TesseraAntispam;
import dev.tlogmigrate.transforms.tessera.mysql.TesseraMySqlConfig;
import dev.tlogmigrate.transforms.tessera.spanner.TesseraSpannerConfig;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.gcp.spanner.SpannerIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.TypeDescriptor;

public class AntispamRows {
  static final String PROJECT = "bench";
  static final String INSTANCE = "bench";
  static final int BATCH = 1000;

  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(args[0]);
    String emulator = args[1];
    String jdbc = args[2];
    String user = args[3];
    String password = args[4];
    int spannerIoRows = Integer.parseInt(args[5]);

    try (Spanner admin =
        SpannerOptions.newBuilder()
            .setProjectId(PROJECT)
            .setEmulatorHost(emulator)
            .setBuiltInMetricsEnabled(false)
            .build()
            .getService()) {
      admin
          .getInstanceAdminClient()
          .createInstance(
              InstanceInfo.newBuilder(InstanceId.of(PROJECT, INSTANCE))
                  .setInstanceConfigId(InstanceConfigId.of(PROJECT, "emulator-config"))
                  .setDisplayName("bench")
                  .setNodeCount(1)
                  .build())
          .get();
      TesseraSpannerConfig log =
          TesseraSpannerConfig.of(database(admin, "log"), "").withAccess(emulator, GcpAuth.DEFAULT);
      for (int threads : new int[] {1, 4}) {
        TesseraAntispam index = log.antispam(database(admin, "antispam" + threads));
        measure("Spanner emulator", "fresh index", index, rows, threads);
        if (threads == 4) {
          measure("Spanner emulator", "again: every row present", index, rows, threads);
        }
      }
      spannerIo(admin, emulator, spannerIoRows);
    }

    try (Connection c = DriverManager.getConnection(jdbc + "/", user, password)) {
      for (int threads : new int[] {1, 4}) {
        c.createStatement().execute("CREATE DATABASE bench_log" + threads);
        c.createStatement().execute("CREATE DATABASE bench_antispam" + threads);
        TesseraAntispam index =
            TesseraMySqlConfig.of(jdbc + "/bench_log" + threads, user, password)
                .antispam("bench_antispam" + threads);
        measure("MariaDB", "fresh index", index, rows, threads);
        if (threads == 4) {
          measure("MariaDB", "again: every row present", index, rows, threads);
        }
      }
    }
  }

  static String database(Spanner admin, String id) throws Exception {
    admin.getDatabaseAdminClient().createDatabase(INSTANCE, id, List.of()).get();
    return DatabaseId.of(PROJECT, INSTANCE, id).getName();
  }

  /** Row i: the identity SHA-256(i), index i. */
  static AntispamRow row(long i) throws Exception {
    return new AntispamRow(
        MessageDigest.getInstance("SHA-256").digest(ByteBuffer.allocate(8).putLong(i).array()), i);
  }

  /** Writes rows 0..n-1 from `threads` writers, each its share in sorted batches. */
  static void measure(String db, String run, TesseraAntispam index, int n, int threads)
      throws Exception {
    index.prepare();
    List<AntispamRow> all = new ArrayList<>(n);
    for (long i = 0; i < n; i++) {
      all.add(row(i));
    }
    all.sort((a, b) -> Arrays.compareUnsigned(a.identity(), b.identity()));
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    int share = (n + threads - 1) / threads;
    for (int t = 0; t < threads; t++) {
      List<AntispamRow> mine = all.subList(Math.min(n, t * share), Math.min(n, (t + 1) * share));
      done.add(
          pool.submit(
              () -> {
                try (AntispamWriter w = index.writer()) {
                  for (int i = 0; i < mine.size(); i += BATCH) {
                    w.write(mine.subList(i, Math.min(mine.size(), i + BATCH)), 0);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    print(db, run, threads, n, (System.nanoTime() - start) / 1e9);
  }

  /** Beam's SpannerIO.write of Insert mutations on the DirectRunner, into a fresh IDSeq. */
  static void spannerIo(Spanner admin, String emulator, int n) throws Exception {
    String db = database(admin, "spannerio");
    TesseraSpannerConfig.of(db, "").withAccess(emulator, GcpAuth.DEFAULT).antispam(
        database(admin, "spannerio_as")).prepare();
    DatabaseId id = DatabaseId.of(db.replace("/spannerio", "/spannerio_as"));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--targetParallelism=4").create());
    p.apply(GenerateSequence.from(0).to(n))
        .apply(Reshuffle.viaRandomKey())
        .apply(
            MapElements.into(TypeDescriptor.of(Mutation.class))
                .via(
                    i -> {
                      try {
                        AntispamRow r = row(i);
                        return Mutation.newInsertBuilder("IDSeq")
                            .set("h")
                            .to(ByteArray.copyFrom(r.identity()))
                            .set("idx")
                            .to(r.index())
                            .build();
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    }))
        .apply(
            SpannerIO.write()
                .withEmulatorHost(emulator)
                .withProjectId(PROJECT)
                .withInstanceId(INSTANCE)
                .withDatabaseId(id.getDatabase()));
    long start = System.nanoTime();
    p.run().waitUntilFinish();
    print("Spanner emulator", "Beam SpannerIO.write, DirectRunner", 4, n, (System.nanoTime() - start) / 1e9);
  }

  static void print(String db, String run, int threads, long n, double seconds) {
    System.out.printf(
        "| %s | %s | %d | %d | %.1f | %.0f |%n", db, run, threads, n, seconds, n / seconds);
  }
}
