package dev.tlogmigrate.launcher.peers;

import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.transforms.testing.GoPrograms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tessera v1.0.4 as a test peer, built from our Go module in {@code src/test/go/tessera}: its POSIX
 * appender and fsck package through our harness, and its own migration tool {@code
 * cmd/experimental/migrate/posix}. Logs are signed with {@link TestLogs#SIGNER}'s key.
 */
public final class Tessera {
  public static final Path MODULE = Path.of("src/test/go/tessera");
  public static final String MIGRATE_TOOL =
      "github.com/transparency-dev/tessera/cmd/experimental/migrate/posix";

  public record Run(int status, String output) {}

  private Tessera() {}

  /**
   * Tessera appends count entries (sizes 0..64 from seed) to the log in dir, publishing a
   * checkpoint after each of the batches; an empty dir becomes a new log, an existing one is taken
   * over.
   */
  public static Run append(Path dir, long count, int batches, long seed) {
    return run(
        harness(),
        "append",
        "--storage_dir=" + dir,
        "--count=" + count,
        "--batches=" + batches,
        "--seed=" + seed);
  }

  /** Tessera's fsck of the log in dir, against the test key. */
  public static Run fsck(Path dir) {
    return run(harness(), "fsck", "--storage_dir=" + dir, "--public_key=" + TestLogs.VKEY);
  }

  /** Tessera's own migration tool copies the log at sourceUrl into dir. */
  public static Run migrate(String sourceUrl, Path dir) {
    Path tool = GoPrograms.build(MODULE, MIGRATE_TOOL, "tessera-migrate-posix");
    return run(tool, "--storage_dir=" + dir, "--source_url=" + sourceUrl);
  }

  private static Path harness() {
    return GoPrograms.build(MODULE, "./harness", "tessera-harness");
  }

  private static Run run(Path binary, String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    try {
      Path log = Files.createTempFile("tessera", ".log");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LOG_PRIVATE_KEY", LogGenerator.TEST_SIGNER_KEY);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new AssertionError("Tessera did not finish in 5 minutes: " + command);
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.delete(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }
}
