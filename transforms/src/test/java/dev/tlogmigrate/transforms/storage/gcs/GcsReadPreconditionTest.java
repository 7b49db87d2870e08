package dev.tlogmigrate.transforms.storage.gcs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.GenerationalFakeStorageRpc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * What fake-gcs-server cannot show, as it ignores preconditions on reads: GcsStorage reads an
 * object's metadata, then its bytes pinned to that generation, so that metadata and bytes are of
 * one object. Here on the in-memory fake with generations ({@link GenerationalFakeStorageRpc}).
 */
class GcsReadPreconditionTest {
  private static final String BUCKET = "read-race";

  @Test
  void anObjectReplacedBetweenItsMetadataAndItsBytesIsReadAgainWhole() throws IOException {
    GenerationalFakeStorageRpc fake = new GenerationalFakeStorageRpc();
    Storage client = fake.storage();
    BlobId id = BlobId.of(BUCKET, "tile/entries/000");
    client.create(BlobInfo.newBuilder(id).build(), "plain old bundle".getBytes(UTF_8));
    // Replaced by a gzip-encoded one after the metadata (no gzip) was read, before the download.
    byte[] replacement = gzip("new bundle");
    fake.beforeNextLoad(
        () ->
            client.create(BlobInfo.newBuilder(id).setContentEncoding("gzip").build(), replacement));

    byte[] read = new GcsStorage(client, BUCKET, "").read("tile/entries/000", 1000).orElseThrow();

    assertEquals(
        "new bundle",
        new String(read, UTF_8),
        "the old metadata's decoding was applied to the new bytes");
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(s.getBytes(UTF_8));
    }
    return out.toByteArray();
  }
}
