package dev.tlogmigrate.transforms.storage.gcs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy;
import dev.tlogmigrate.transforms.testing.TestNotes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GcsStorage against the real GCS JSON API of fake-gcs-server on loopback ({@link FakeGcsServer}),
 * through the client's HTTP path (uploads, 412s as the service sends them, retries), with a {@link
 * GcsFaultProxy} in between where a test needs another writer at an exact moment or a lost
 * response: the write modes and object metadata of Tessera's GCS driver, the conditional tree-state
 * and checkpoint writes, never overwriting a tile, and the read limits.
 */
class GcsStorageTest {
  private static final String BUCKET = "gcs-storage-test";
  private static final String PREFIX = "logs/one/";
  private static final String LOCATION = "gs://" + BUCKET + "/logs/one";

  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(BUCKET);

  private GcsFaultProxy proxy;
  private LogStorage storage;

  @BeforeEach
  void open() throws IOException {
    proxy = new GcsFaultProxy(GCS.endpoint());
    storage = through(proxy.endpoint());
  }

  @AfterEach
  void close() throws IOException {
    storage.close();
    proxy.close();
  }

  /**
   * The test's location, reached at an endpoint: the proxy, or the server itself (another writer).
   */
  private static LogStorage through(String endpoint) {
    return LogLocation.of(LOCATION)
        .withGcs(new GcsConnection(endpoint, FakeGcsServer.NO_AUTH))
        .open();
  }

  private Blob meta(String path) {
    return GCS.metadata(BUCKET, PREFIX + path);
  }

  private byte[] stored(String path) {
    return GCS.stored(BUCKET, PREFIX + path);
  }

  /** Puts an object behind the storage's back, as another writer (or an earlier run) would. */
  private void put(String path, byte[] data) {
    GCS.put(BUCKET, PREFIX + path, data);
  }

  @Test
  void locationsAreNormalisedAndCheckedLikeGcsDoes() {
    assertEquals("gs://my-bucket/", LogLocation.of("gs://my-bucket").uri());
    assertEquals("gs://my-bucket/", LogLocation.of("gs://my-bucket/").uri());
    assertEquals("gs://my-bucket/a/b/", LogLocation.of("gs://my-bucket/a/b").uri());
    assertEquals("gs://my.bucket_1/a/", LogLocation.of("gs://my.bucket_1/a/").uri());
    assertTrue(LogLocation.of("gs://my-bucket/a").isGcs());
    for (String bad :
        new String[] {
          "gs://",
          "gs://UPPER",
          "gs://a",
          "gs://-bucket",
          "gs://b/a//c",
          "gs://b/../c",
          "gs://b/./c"
        }) {
      assertThrows(IllegalArgumentException.class, () -> LogLocation.of(bad), bad);
    }
    assertEquals("gs://" + BUCKET + "/logs/one/tile/0/000", storage.describe("tile/0/000"));
    assertThrows(IllegalArgumentException.class, () -> storage.read("../escape", 10));
  }

  @Test
  void tilesAndBundlesAreCreatedOnceWithTesserasMetadata() throws IOException {
    byte[] tile = new byte[32 * 3];
    Arrays.fill(tile, (byte) 7);
    storage.write("tile/0/000.p/3", tile);
    storage.write("tile/entries/000.p/3", "abc".getBytes(UTF_8));

    for (String path : new String[] {"tile/0/000.p/3", "tile/entries/000.p/3"}) {
      assertEquals("application/octet-stream", meta(path).getContentType(), path);
      assertEquals("max-age=604800,immutable", meta(path).getCacheControl(), path);
      assertNull(meta(path).getContentEncoding(), path);
    }
    assertArrayEquals(tile, stored("tile/0/000.p/3"));
    assertEquals(
        Optional.of("abc"),
        storage.read("tile/entries/000.p/3", 10).map(b -> new String(b, UTF_8)));
  }

  @Test
  void rewritingTheSameTileIsFineAndLeavesTheObjectAlone() throws IOException {
    storage.write("tile/1/000", new byte[8192]);
    Long generation = meta("tile/1/000").getGeneration();

    storage.write("tile/1/000", new byte[8192]);

    assertEquals(
        generation,
        meta("tile/1/000").getGeneration(),
        "an identical object must not be written again");
  }

  @Test
  void aTileWithOtherBytesIsNeverOverwritten() throws IOException {
    put("tile/entries/001.p/5", "another fork's bundle".getBytes(UTF_8));
    Long generation = meta("tile/entries/001.p/5").getGeneration();

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () -> storage.write("tile/entries/001.p/5", "this run's bundle".getBytes(UTF_8)));

    assertTrue(
        e.getMessage().contains("tile/entries/001.p/5: already holds other bytes"), e.getMessage());
    assertEquals("another fork's bundle", new String(stored("tile/entries/001.p/5"), UTF_8));
    assertEquals(generation, meta("tile/entries/001.p/5").getGeneration());
  }

  @Test
  void aTileCreatedByARetryOfItsOwnLostWriteIsFine() throws IOException {
    byte[] tile = new byte[32 * 5];
    Arrays.fill(tile, (byte) 3);
    proxy.loseResponseOfFirst(r -> r.uploads(PREFIX + "tile/0/003.p/5"));

    storage.write("tile/0/003.p/5", tile);

    assertArrayEquals(tile, stored("tile/0/003.p/5"));
    assertEquals(1, proxy.injected(GcsFaultProxy.Fault.RESPONSE_LOST));
  }

  @Test
  void stateObjectsAreNotCached() throws IOException {
    storage.write(".state/version", new byte[] {'1'});
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(10), 10);

    assertEquals("text/plain; charset=utf-8", meta("checkpoint").getContentType());
    assertEquals("no-cache", meta("checkpoint").getCacheControl());
    assertEquals("application/octet-stream", meta(".state/version").getContentType());
    assertEquals("no-cache", meta(".state/version").getCacheControl());
  }

  @Test
  void theCheckpointOnlyAdvances() throws IOException {
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(300), 300);
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(600), 600);
    Long generation = meta("checkpoint").getGeneration();

    storage.advanceCheckpoint(
        "checkpoint", TestNotes.checkpoint(300), 300); // a late write from an older job
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(600), 600); // a retried one

    assertArrayEquals(TestNotes.checkpoint(600), stored("checkpoint"));
    assertEquals(generation, meta("checkpoint").getGeneration());
  }

  @Test
  void aCheckpointPublishedBetweenTheReadAndTheWriteIsNotMovedBack() throws IOException {
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(300), 300);
    // A newer job publishes 900 just after this (older) job read 300 and before it writes 600.
    proxy.beforeFirst(
        r -> r.uploads(PREFIX + "checkpoint"),
        () -> {
          try (LogStorage newer = through(GCS.endpoint())) {
            newer.advanceCheckpoint("checkpoint", TestNotes.checkpoint(900), 900);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });

    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(600), 600);

    assertArrayEquals(TestNotes.checkpoint(900), stored("checkpoint"));
  }

  @Test
  void replaceCreatesOnlyWhatDoesNotExistYet() throws IOException {
    storage.replace(".state/treeState", null, "first".getBytes(UTF_8));
    assertEquals("application/octet-stream", meta(".state/treeState").getContentType());

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () -> storage.replace(".state/treeState", null, "second".getBytes(UTF_8)));

    assertTrue(e.getMessage().contains("expected no resource but found 'first'"), e.getMessage());
    assertEquals("first", new String(stored(".state/treeState"), UTF_8));
  }

  @Test
  void replaceRefusesAStaleExpectation() throws IOException {
    storage.replace(".state/treeState", null, "size 10".getBytes(UTF_8));
    storage.replace(".state/treeState", "size 10".getBytes(UTF_8), "size 20".getBytes(UTF_8));

    assertThrows(
        PreconditionFailedException.class,
        () ->
            storage.replace(
                ".state/treeState", "size 10".getBytes(UTF_8), "size 30".getBytes(UTF_8)));
    assertEquals("size 20", new String(stored(".state/treeState"), UTF_8));
  }

  @Test
  void twoJobsCannotBothAdvanceTheTreeState() throws IOException {
    storage.replace(".state/treeState", null, "size 10".getBytes(UTF_8));
    // The other job reads the same state and wins the race just before this one writes.
    proxy.beforeFirst(
        r -> r.uploads(PREFIX + ".state/treeState"),
        () -> {
          try (LogStorage other = through(GCS.endpoint())) {
            other.replace(
                ".state/treeState",
                "size 10".getBytes(UTF_8),
                "size 20 (other job)".getBytes(UTF_8));
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () ->
                storage.replace(
                    ".state/treeState",
                    "size 10".getBytes(UTF_8),
                    "size 30 (this job)".getBytes(UTF_8)));

    assertTrue(e.getMessage().contains("changed between reading generation"), e.getMessage());
    assertEquals("size 20 (other job)", new String(stored(".state/treeState"), UTF_8));
  }

  @Test
  void aConditionalWriteThatLandedBeforeItsRetryIsNotAConflict() throws IOException {
    storage.replace(".state/treeState", null, "size 10".getBytes(UTF_8));
    // The first attempt lands and only its response is lost: the client's retry gets the server's
    // 412.
    proxy.loseResponseOfFirst(r -> r.uploads(PREFIX + ".state/treeState"));

    storage.replace(".state/treeState", "size 10".getBytes(UTF_8), "size 20".getBytes(UTF_8));

    assertEquals("size 20", new String(stored(".state/treeState"), UTF_8));
    assertEquals(1, proxy.injected(GcsFaultProxy.Fault.RESPONSE_LOST));
  }

  @Test
  void aRetriedCommitFindsItsOwnTreeState() throws IOException {
    TreeState ten = new TreeState(10, new byte[32]);
    TreeState twenty = new TreeState(20, new byte[32]);
    storage.advanceTreeState(".state/treeState", new TreeState(0, Rfc6962.emptyRoot()), ten);
    storage.advanceTreeState(".state/treeState", ten, twenty);
    Long generation = meta(".state/treeState").getGeneration();

    storage.advanceTreeState(".state/treeState", ten, twenty); // the pipeline ran the commit again

    assertEquals(generation, meta(".state/treeState").getGeneration());
  }

  @Test
  void advanceTreeStateStartsFromAbsentOrEmptyAndRefusesAnyOtherState() throws IOException {
    TreeState empty = new TreeState(0, Rfc6962.emptyRoot());
    TreeState ten = new TreeState(10, new byte[32]);
    TreeState twenty = new TreeState(20, new byte[32]);

    storage.advanceTreeState(".state/treeState", empty, ten); // fresh destination
    assertArrayEquals(ten.toJson(), stored(".state/treeState"));
    assertThrows(
        PreconditionFailedException.class,
        () -> storage.advanceTreeState(".state/treeState", empty, twenty));
    storage.advanceTreeState(".state/treeState", ten, twenty);
    assertArrayEquals(twenty.toJson(), stored(".state/treeState"));

    // A Tessera-initialised empty log: its size-0 state is where a first run starts.
    storage.write(".state/treeState", empty.toJson());
    storage.advanceTreeState(".state/treeState", empty, ten);
    assertArrayEquals(ten.toJson(), stored(".state/treeState"));
  }

  @Test
  void readsAreLimitedAndAbsentObjectsAreEmpty() throws IOException {
    put("tile/entries/005", new byte[1000]);

    assertEquals(Optional.empty(), storage.read("tile/entries/006", 1000));
    assertEquals(1000, storage.read("tile/entries/005", 1000).orElseThrow().length);
    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> storage.read("tile/entries/005", 999));
    assertTrue(
        e.getMessage().contains("gs://" + BUCKET + "/logs/one/tile/entries/005: 1000 bytes"),
        e.getMessage());
  }

  @Test
  void gzipEncodedObjectsAreDecodedWithinTheLimit() throws IOException {
    byte[] bundle = new byte[5000];
    Arrays.fill(bundle, (byte) 'x');
    GCS.put(
        BlobInfo.newBuilder(BlobId.of(BUCKET, PREFIX + "tile/entries/007"))
            .setContentEncoding("gzip")
            .build(),
        gzip(bundle));
    GCS.put(
        BlobInfo.newBuilder(BlobId.of(BUCKET, PREFIX + "tile/entries/008"))
            .setContentEncoding("gzip")
            .build(),
        new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});

    assertArrayEquals(bundle, storage.read("tile/entries/007", 5000).orElseThrow());
    assertTrue(stored("tile/entries/007").length < 100, "stored compressed");
    InvalidLogException bomb =
        assertThrows(InvalidLogException.class, () -> storage.read("tile/entries/007", 4999));
    assertTrue(
        bomb.getMessage().contains("decompresses to more than the 4999 bytes"), bomb.getMessage());
    InvalidLogException bad =
        assertThrows(InvalidLogException.class, () -> storage.read("tile/entries/008", 5000));
    assertTrue(bad.getMessage().contains("not valid gzip"), bad.getMessage());
  }

  @Test
  void deleteRemovesAndIgnoresAbsentObjects() throws IOException {
    storage.write("checkpoint", "x".getBytes(UTF_8));
    storage.delete("checkpoint");
    storage.delete("checkpoint");
    assertEquals(Optional.empty(), storage.read("checkpoint", 10));
  }

  @Test
  void aLocationCarriedToAWorkerReachesItsOwnEndpointThroughOneSharedClient() throws IOException {
    LogLocation direct = LogLocation.of(LOCATION).withGcs(GCS.connection());
    LogLocation viaProxy =
        LogLocation.of(LOCATION)
            .withGcs(new GcsConnection(proxy.endpoint(), FakeGcsServer.NO_AUTH));
    LogLocation carried = SerializableUtils.clone(viaProxy); // as a DoFn carries it to a worker

    long before = proxy.requests();
    try (LogStorage a = direct.open()) {
      a.write("tile/0/004", new byte[32]);
    }
    assertEquals(
        before, proxy.requests(), "a location with the server's endpoint went through the proxy");
    try (LogStorage b = carried.open()) {
      assertEquals(32, b.read("tile/0/004", 32).orElseThrow().length);
    }
    assertTrue(proxy.requests() > before, "the carried location did not reach its own endpoint");
    assertSame(
        viaProxy.gcs().client(),
        carried.gcs().client(),
        "equal connections share one client in a JVM");
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }
}
