package dev.tlogmigrate.launcher.peers;

import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.transforms.testing.GoPrograms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A run of our Tessera harness's {@code gcp} or {@code aws} mode: Tessera v1.0.4's cloud appender
 * (and, if asked, its persistent antispam) taking over a log in a bucket and its database, as a
 * frontend does after a migration, with what it printed, one fact per line (see the harness's
 * takeover.go).
 *
 * @param status the harness's exit status; its last error line is in {@link #log}
 * @param followerStart FollowCoord.nextIdx before Tessera's follower ran, or -1 without antispam
 * @param followerTree the integrated size Tessera took over, or -1 without antispam
 * @param readds for each re-added index, the index Tessera answered with (-1 for a pushback), and
 *     whether as a duplicate
 * @param added the new entries in order: the index each got, with its bytes
 * @param checkpoint the size of Tessera's published checkpoint, -1 if none was printed
 * @param followerEnd FollowCoord.nextIdx once caught up, or -1
 * @param log everything the harness printed, stdout and stderr, for messages
 */
public record CloudTakeover(
    int status,
    long followerStart,
    long followerTree,
    Map<Long, Readd> readds,
    Map<Long, byte[]> added,
    long pushbacks,
    long checkpoint,
    String checkpointRoot,
    long followerEnd,
    String log) {
  /** Tessera's answer to an entry of the log added again. */
  public record Readd(long index, boolean dup) {}

  /**
   * Runs {@code harness <mode> <flags>} with the test signer's key, {@code env} added to its
   * environment; up to 3 minutes (the harness's own --timeout is 2).
   */
  public static CloudTakeover run(String mode, List<String> flags, Map<String, String> env)
      throws IOException, InterruptedException {
    Path harness = GoPrograms.build(Tessera.MODULE, "./harness", "tessera-harness");
    List<String> command = new ArrayList<>(List.of(harness.toString(), mode));
    command.addAll(flags);
    Path out = Files.createTempFile("tessera-" + mode, ".out");
    Path err = Files.createTempFile("tessera-" + mode, ".err");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().put("LOG_PRIVATE_KEY", LogGenerator.TEST_SIGNER_KEY);
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(
            "the harness did not finish in 3 minutes: "
                + command
                + "\n"
                + Files.readString(out, StandardCharsets.UTF_8));
      }
      return parse(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }

  private static CloudTakeover parse(int status, String stdout, String stderr) {
    long followerStart = -1;
    long followerTree = -1;
    long followerEnd = -1;
    long pushbacks = -1;
    long checkpoint = -1;
    String root = null;
    Map<Long, Readd> readds = new LinkedHashMap<>();
    Map<Long, byte[]> added = new LinkedHashMap<>();
    for (String line : stdout.split("\n")) {
      String[] f = line.split(" ", -1);
      switch (f[0]) {
        case "follower" -> {
          if (f[1].equals("start")) {
            followerStart = Long.parseLong(f[2]);
            followerTree = Long.parseLong(f[4]);
          } else {
            followerEnd = Long.parseLong(f[2]);
          }
        }
        case "readd" ->
            readds.put(
                Long.parseLong(f[1]),
                f[2].equals("pushback")
                    ? new Readd(-1, false)
                    : new Readd(Long.parseLong(f[3]), Boolean.parseBoolean(f[5])));
        case "added" -> added.put(Long.parseLong(f[1]), HexFormat.of().parseHex(f[4]));
        case "pushbacks" -> pushbacks = Long.parseLong(f[1]);
        case "checkpoint" -> {
          checkpoint = Long.parseLong(f[1]);
          root = f[2];
        }
        default -> {}
      }
    }
    return new CloudTakeover(
        status,
        followerStart,
        followerTree,
        readds,
        added,
        pushbacks,
        checkpoint,
        root,
        followerEnd,
        stdout + stderr);
  }

  /**
   * The harness's own error line ({@code harness MODE: ...}), or the whole log when it wrote none:
   * Tessera's goroutines may still log after it, so it need not be the last line.
   */
  public String failure() {
    String[] lines = log.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("harness ")) {
        return lines[i];
      }
    }
    return log;
  }
}
