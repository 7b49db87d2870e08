package dev.tlogmigrate.launcher.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.SignedNote;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.testing.BucketServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Logs in a bucket store's server ({@link BucketServer}: GCS, S3): uploading a generated one,
 * migrating through the command line, comparing a copy.
 */
public final class BucketLogs {
  private BucketLogs() {}

  /** A migration that reaches the store at {@code endpoint}: the server, or a proxy in front. */
  public static Cli.Result migrateVia(
      BucketServer server, String endpoint, String source, String destination, String... extra) {
    List<String> args = new ArrayList<>(server.flags(endpoint));
    args.addAll(Arrays.asList(extra));
    return Cli.migrate(source, destination, TestLogs.VKEY, args.toArray(String[]::new));
  }

  /**
   * Uploads a log directory, entry bundles and data tiles gzip-encoded as a log that compresses
   * them would store them.
   */
  public static void upload(BucketServer server, Path dir, String bucket, String prefix) {
    Cli.files(dir)
        .forEach(
            (name, bytes) -> {
              if (name.startsWith("tile/entries/") || name.startsWith("tile/data/")) {
                server.putGzipEncoded(bucket, prefix + name, GzipDataTiles.gzip(bytes));
              } else {
                server.put(bucket, prefix + name, bytes);
              }
            });
  }

  /**
   * The bucket holds exactly the directory's files under prefix, byte for byte, and a tree state of
   * the checkpoint's size and root.
   */
  public static void assertHolds(
      BucketServer server, String bucket, String prefix, Path source, long size) {
    Map<String, byte[]> want = Cli.files(source);
    Map<String, byte[]> got = server.objects(bucket, prefix);
    assertEquals(want.keySet(), got.keySet(), "object set differs");
    want.forEach((name, bytes) -> assertArrayEquals(bytes, got.get(name), name + " differs"));
    TreeState state = TreeState.parse("treeState", got.get(".state/treeState"));
    Checkpoint cp =
        Checkpoint.parse(
            "checkpoint", SignedNote.parse("checkpoint", got.get("checkpoint")).text());
    assertEquals(size, state.size());
    assertEquals(cp.rootBase64(), state.rootBase64());
  }
}
