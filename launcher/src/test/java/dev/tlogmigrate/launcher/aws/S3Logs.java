package dev.tlogmigrate.launcher.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.GzipDataTiles;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.SignedNote;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.testing.S3Server;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** Logs in an {@link S3Server}: uploading a generated one, migrating, comparing a copy. */
public final class S3Logs {
  private S3Logs() {}

  /** A migration that reaches S3 at {@code endpoint}: the server, or a proxy in front of it. */
  public static Cli.Result migrateVia(
      String endpoint, String source, String destination, String... extra) {
    List<String> args = new ArrayList<>(S3Server.flags(endpoint));
    args.addAll(Arrays.asList(extra));
    return Cli.migrate(source, destination, TestLogs.VKEY, args.toArray(String[]::new));
  }

  /**
   * Uploads a log directory, entry bundles and data tiles gzip-encoded as a log that compresses
   * them would store them.
   */
  public static void upload(S3Server s3, Path dir, String bucket, String prefix) {
    Cli.files(dir)
        .forEach(
            (name, bytes) -> {
              PutObjectRequest.Builder put =
                  PutObjectRequest.builder().bucket(bucket).key(prefix + name);
              if (name.startsWith("tile/entries/") || name.startsWith("tile/data/")) {
                s3.put(put.contentEncoding("gzip").build(), GzipDataTiles.gzip(bytes));
              } else {
                s3.put(put.build(), bytes);
              }
            });
  }

  /**
   * The bucket holds exactly the directory's files under prefix, byte for byte, and a tree state of
   * the checkpoint's size and root.
   */
  public static void assertHolds(
      S3Server s3, String bucket, String prefix, Path source, long size) {
    Map<String, byte[]> want = Cli.files(source);
    Map<String, byte[]> got = s3.objects(bucket, prefix);
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
