package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.AdvanceAntispamFn;
import dev.tlogmigrate.transforms.FillAntispamIndex;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.fetch.RunThreads;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.tessera.AntispamFill;
import dev.tlogmigrate.transforms.tessera.AntispamRow;
import dev.tlogmigrate.transforms.tessera.AntispamWriter;
import dev.tlogmigrate.transforms.tessera.TesseraAntispam;
import dev.tlogmigrate.transforms.tessera.TesseraTakeover;
import dev.tlogmigrate.transforms.tessera.mysql.TesseraMySqlConfig;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/**
 * FillAntispamIndex on the DirectRunner, into an index that records the rows it is given (the real
 * Spanner and MySQL indices are tested from the launcher, TesseraSpannerAntispamTest and
 * TesseraMySqlAntispamTest): the first index of each identity is written, and nothing once the run
 * has failed elsewhere in this process, since the launcher returns only when no work of the run is
 * left; nor is its follower moved on.
 */
class FillAntispamIndexTest {
  /** The rows each recording index was given, by its name: the workers hold copies of it. */
  private static final Map<String, List<AntispamRow>> WRITTEN = new ConcurrentHashMap<>();

  /** The indices whose nextIdx was moved. */
  private static final Set<String> ADVANCED = ConcurrentHashMap.newKeySet();

  private record RecordingIndex(String name) implements TesseraAntispam {
    @Override
    public long prepare() {
      return 0;
    }

    @Override
    public String followCoord() {
      return "FollowCoord";
    }

    @Override
    public AntispamWriter writer() {
      return new AntispamWriter() {
        @Override
        public long write(List<AntispamRow> rows, long from) {
          // Several DirectRunner threads may write at once.
          WRITTEN.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).addAll(rows);
          return rows.size();
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public boolean advance(long from, long to) {
      ADVANCED.add(name);
      return true;
    }

    @Override
    public String toString() {
      return "index " + name;
    }
  }

  private static MigrationSpec spec(String index) {
    // The take-over an index goes with: never contacted by the stage that writes the rows, nor
    // by a run that has failed (a closed port: nothing leaves the machine).
    TreeState empty = new TreeState(0, new byte[32]);
    return Pipelines.spec(Path.of("source"), Path.of("destination"), 4, TreeEdge.empty())
        .withTesseraTakeover(
            TesseraTakeover.of(
                TesseraMySqlConfig.of("jdbc:mariadb://127.0.0.1:1/log", "tessera", null),
                empty,
                empty))
        .withAntispam(AntispamFill.of(new RecordingIndex(index), 0));
  }

  private static void fill(org.apache.beam.sdk.Pipeline p, MigrationSpec spec) {
    p.apply(
            Create.of(
                    KV.of(identity(1), 0L),
                    KV.of(identity(2), 1L),
                    KV.of(identity(1), 2L),
                    KV.of(identity(3), 3L))
                .withCoder(KvCoder.of(ByteArrayCoder.of(), VarLongCoder.of())))
        .apply(new FillAntispamIndex(spec));
  }

  private static byte[] identity(int b) {
    byte[] h = new byte[32];
    h[0] = (byte) b;
    return h;
  }

  private static Map<String, Long> written(String index) {
    Map<String, Long> rows = new TreeMap<>();
    for (AntispamRow r : WRITTEN.getOrDefault(index, List.of())) {
      rows.put(HexFormat.of().formatHex(r.identity(), 0, 1), r.index());
    }
    return rows;
  }

  @Test
  void writesTheFirstIndexOfEachIdentity() {
    String index = UUID.randomUUID().toString();

    Pipelines.run(p -> fill(p, spec(index)));

    assertEquals(Map.of("01", 0L, "02", 1L, "03", 3L), written(index));
  }

  @Test
  void writesNothingOnceTheRunHasFailed() {
    String index = UUID.randomUUID().toString();
    MigrationSpec spec = spec(index);
    RunThreads.of(spec.runId()).abandon();

    Throwable t = Pipelines.failure(p -> fill(p, spec));

    assertTrue(
        t.getMessage().startsWith("index " + index + ": the rows of key range 0: not started"),
        t.getMessage());
    assertEquals(Map.of(), written(index));
  }

  @Test
  void movesNoNextIdxOnceTheRunHasFailed() {
    String index = UUID.randomUUID().toString();
    MigrationSpec spec = spec(index);
    RunThreads.of(spec.runId()).abandon();

    Throwable t =
        Pipelines.failure(
            p ->
                p.apply(Create.of(new TreeState(4, new byte[32])))
                    .apply(ParDo.of(new AdvanceAntispamFn(spec))));

    assertTrue(
        t.getMessage().startsWith("index " + index + ": nextIdx: not started"), t.getMessage());
    assertFalse(ADVANCED.contains(index));
  }
}
