package dev.tlogmigrate.transforms.storage.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy.Fault;
import dev.tlogmigrate.transforms.testing.S3Server;
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
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * S3Storage against the real S3 REST API of s3proxy on loopback ({@link S3Server}), through the
 * SDK's HTTP path (PUTs with If-None-Match and If-Match, 412s as the server sends them, retries),
 * with a {@link GcsFaultProxy} in between where a test needs another writer at an exact moment, a
 * lost response or a body cut short: the object metadata of Tessera's layout, the conditional
 * tree-state and checkpoint writes, never overwriting a tile, gzip, and the read limits. Signatures
 * are checked by S3MigrationTest (the proxy rewrites Host, so this server takes unsigned requests).
 */
class S3StorageTest {
  private static final String BUCKET = "s3-storage-test";
  private static final String PREFIX = "logs/one/";
  private static final String LOCATION = "s3://" + BUCKET + "/logs/one";

  @RegisterExtension static final S3Server S3 = S3Server.withoutAuthorization(BUCKET);

  private GcsFaultProxy proxy;
  private LogStorage storage;

  @BeforeEach
  void open() throws IOException {
    proxy = new GcsFaultProxy(S3.endpoint());
    storage = through(proxy.endpoint());
  }

  @AfterEach
  void close() throws IOException {
    storage.close();
    proxy.close();
  }

  /** The test's location, reached at an endpoint: the proxy, or the server itself. */
  private static LogStorage through(String endpoint) {
    return LogLocation.of(LOCATION).withS3(S3Server.connection(endpoint)).open();
  }

  private HeadObjectResponse meta(String path) {
    return S3.metadata(BUCKET, PREFIX + path);
  }

  private byte[] stored(String path) {
    return S3.stored(BUCKET, PREFIX + path);
  }

  private void put(String path, byte[] data) {
    S3.put(BUCKET, PREFIX + path, data);
  }

  private static boolean puts(GcsFaultProxy.Request r, String path) {
    return r.puts(BUCKET, PREFIX + path);
  }

  @Test
  void locationsAreNormalisedAndCheckedLikeS3Does() {
    assertEquals("s3://my-bucket/", LogLocation.of("s3://my-bucket").uri());
    assertEquals("s3://my-bucket/", LogLocation.of("s3://my-bucket/").uri());
    assertEquals("s3://my-bucket/a/b/", LogLocation.of("s3://my-bucket/a/b").uri());
    assertEquals("s3://my.bucket1/a/", LogLocation.of("s3://my.bucket1/a/").uri());
    assertTrue(LogLocation.of("s3://my-bucket/a").isS3());
    assertTrue(LogLocation.of("s3://my-bucket/a").isBucket());
    assertTrue(!LogLocation.of("s3://my-bucket/a").isLocal());
    for (String bad :
        new String[] {
          "s3://",
          "s3://UPPER",
          "s3://ab",
          "s3://-bucket",
          "s3://under_score",
          "s3://a..b",
          "s3://" + "a".repeat(64),
          "s3://b/a//c",
          "s3://b/../c",
          "s3://b/./c"
        }) {
      assertThrows(IllegalArgumentException.class, () -> LogLocation.of(bad), bad);
    }
    assertEquals("s3://" + BUCKET + "/logs/one/tile/0/000", storage.describe("tile/0/000"));
    assertThrows(IllegalArgumentException.class, () -> storage.read("../escape", 10));
    assertThrows(
        IllegalArgumentException.class, () -> S3Connection.of("127.0.0.1:9000", null, null));
  }

  @Test
  void tilesAndBundlesAreCreatedOnceWithTesserasMetadata() throws IOException {
    byte[] tile = new byte[32 * 3];
    Arrays.fill(tile, (byte) 7);
    storage.write("tile/0/000.p/3", tile);
    storage.write("tile/entries/000.p/3", "abc".getBytes(UTF_8));

    for (String path : new String[] {"tile/0/000.p/3", "tile/entries/000.p/3"}) {
      assertEquals("application/octet-stream", meta(path).contentType(), path);
      assertEquals("max-age=604800,immutable", meta(path).cacheControl(), path);
      assertNull(meta(path).contentEncoding(), path);
    }
    assertArrayEquals(tile, stored("tile/0/000.p/3"));
    assertEquals(
        Optional.of("abc"),
        storage.read("tile/entries/000.p/3", 10).map(b -> new String(b, UTF_8)));
  }

  @Test
  void rewritingTheSameTileIsFine() throws IOException {
    storage.write("tile/1/000", new byte[8192]);

    storage.write("tile/1/000", new byte[8192]); // refused by S3 (412), then found identical

    assertArrayEquals(new byte[8192], stored("tile/1/000"));
  }

  @Test
  void aTileWithOtherBytesIsNeverOverwritten() throws IOException {
    put("tile/entries/001.p/5", "another fork's bundle".getBytes(UTF_8));

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () -> storage.write("tile/entries/001.p/5", "this run's bundle".getBytes(UTF_8)));

    assertTrue(
        e.getMessage()
            .contains(
                "s3://" + BUCKET + "/logs/one/tile/entries/001.p/5: already holds other bytes"),
        e.getMessage());
    assertEquals("another fork's bundle", new String(stored("tile/entries/001.p/5"), UTF_8));
  }

  @Test
  void aTileCreatedByARetryOfItsOwnLostWriteIsFine() throws IOException {
    byte[] tile = new byte[32 * 5];
    Arrays.fill(tile, (byte) 3);
    proxy.loseResponseOfFirst(r -> puts(r, "tile/0/003.p/5"));

    storage.write("tile/0/003.p/5", tile);

    assertArrayEquals(tile, stored("tile/0/003.p/5"));
    assertEquals(1, proxy.injected(Fault.RESPONSE_LOST));
  }

  @Test
  void stateObjectsAreNotCached() throws IOException {
    storage.write(".state/version", new byte[] {'1'});
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(10), 10);

    // s3proxy's Jetty drops the space S3 would keep ("text/plain;charset=utf-8").
    assertEquals("text/plain;charset=utf-8", meta("checkpoint").contentType().replace("; ", ";"));
    assertEquals("no-cache", meta("checkpoint").cacheControl());
    assertEquals("application/octet-stream", meta(".state/version").contentType());
    assertEquals("no-cache", meta(".state/version").cacheControl());
  }

  @Test
  void theCheckpointOnlyAdvances() throws IOException {
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(300), 300);
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(600), 600);
    String etag = meta("checkpoint").eTag();

    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(300), 300); // an older job's
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(600), 600); // a retried one

    assertArrayEquals(TestNotes.checkpoint(600), stored("checkpoint"));
    assertEquals(etag, meta("checkpoint").eTag());
  }

  @Test
  void aCheckpointPublishedBetweenTheReadAndTheWriteIsNotMovedBack() throws IOException {
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(300), 300);
    // A newer job publishes 900 just after this (older) job read 300 and before it writes 600.
    proxy.beforeFirst(
        r -> puts(r, "checkpoint"),
        () -> {
          try (LogStorage newer = through(S3.endpoint())) {
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
    assertEquals("application/octet-stream", meta(".state/treeState").contentType());

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
    // The other job reads the same state and wins the race just before this one writes: this
    // job's If-Match on the ETag it read gets S3's 412.
    proxy.beforeFirst(
        r -> puts(r, ".state/treeState"),
        () -> {
          try (LogStorage other = through(S3.endpoint())) {
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

    assertTrue(e.getMessage().contains("changed between reading ETag"), e.getMessage());
    assertEquals("size 20 (other job)", new String(stored(".state/treeState"), UTF_8));
  }

  @Test
  void aTreeStateDeletedBetweenTheReadAndTheWriteIsNotRecreated() throws IOException {
    storage.replace(".state/treeState", null, "size 10".getBytes(UTF_8));
    proxy.beforeFirst(
        r -> puts(r, ".state/treeState"),
        () -> S3.client().deleteObject(d -> d.bucket(BUCKET).key(PREFIX + ".state/treeState")));

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () ->
                storage.replace(
                    ".state/treeState", "size 10".getBytes(UTF_8), "size 20".getBytes(UTF_8)));

    assertTrue(e.getMessage().contains("changed between reading ETag"), e.getMessage());
    assertNull(stored(".state/treeState"));
  }

  @Test
  void twoJobsCannotBothCreateTheTreeState() throws IOException {
    proxy.beforeFirst(
        r -> puts(r, ".state/treeState"),
        () -> {
          try (LogStorage other = through(S3.endpoint())) {
            other.replace(".state/treeState", null, "size 20 (other job)".getBytes(UTF_8));
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () -> storage.replace(".state/treeState", null, "size 30 (this job)".getBytes(UTF_8)));

    assertTrue(e.getMessage().contains("expected no resource but found"), e.getMessage());
    assertEquals("size 20 (other job)", new String(stored(".state/treeState"), UTF_8));
  }

  @Test
  void aConditionalWriteThatLandedBeforeItsRetryIsNotAConflict() throws IOException {
    storage.replace(".state/treeState", null, "size 10".getBytes(UTF_8));
    // The first attempt lands and only its response is lost: the client's retry gets S3's 412.
    proxy.loseResponseOfFirst(r -> puts(r, ".state/treeState"));

    storage.replace(".state/treeState", "size 10".getBytes(UTF_8), "size 20".getBytes(UTF_8));

    assertEquals("size 20", new String(stored(".state/treeState"), UTF_8));
    assertEquals(1, proxy.injected(Fault.RESPONSE_LOST));
  }

  @Test
  void aRetriedCommitFindsItsOwnTreeState() throws IOException {
    TreeState ten = new TreeState(10, new byte[32]);
    TreeState twenty = new TreeState(20, new byte[32]);
    storage.advanceTreeState(".state/treeState", new TreeState(0, Rfc6962.emptyRoot()), ten);
    storage.advanceTreeState(".state/treeState", ten, twenty);
    String etag = meta(".state/treeState").eTag();

    storage.advanceTreeState(".state/treeState", ten, twenty); // the pipeline ran the commit again

    assertEquals(etag, meta(".state/treeState").eTag());
    assertArrayEquals(twenty.toJson(), stored(".state/treeState"));
  }

  @Test
  void readsAreLimitedAndAbsentObjectsAreEmpty() throws IOException {
    put("tile/entries/005", new byte[1000]);

    assertEquals(Optional.empty(), storage.read("tile/entries/006", 1000));
    assertEquals(1000, storage.read("tile/entries/005", 1000).orElseThrow().length);
    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> storage.read("tile/entries/005", 999));
    assertTrue(
        e.getMessage().contains("s3://" + BUCKET + "/logs/one/tile/entries/005: 1000 bytes"),
        e.getMessage());
  }

  @Test
  void aDownloadCutShortIsReadAgain() throws IOException {
    byte[] bundle = new byte[100_000];
    Arrays.fill(bundle, (byte) 9);
    put("tile/entries/009", bundle);
    proxy.cutShortNextDownload();

    assertArrayEquals(bundle, storage.read("tile/entries/009", bundle.length).orElseThrow());
    assertEquals(1, proxy.injected(Fault.CUT_SHORT));
  }

  @Test
  void gzipEncodedObjectsAreDecodedWithinTheLimit() throws IOException {
    byte[] bundle = new byte[5000];
    Arrays.fill(bundle, (byte) 'x');
    S3.put(gzipped("tile/entries/007"), gzip(bundle));
    S3.put(gzipped("tile/entries/008"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});

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

  private static PutObjectRequest gzipped(String path) {
    return PutObjectRequest.builder()
        .bucket(BUCKET)
        .key(PREFIX + path)
        .contentEncoding("gzip")
        .build();
  }

  @Test
  void deleteRemovesAndIgnoresAbsentObjects() throws IOException {
    storage.write("checkpoint", "x".getBytes(UTF_8));
    storage.delete("checkpoint");
    storage.delete("checkpoint");
    assertEquals(Optional.empty(), storage.read("checkpoint", 10));
  }

  @Test
  void aStoreThatKeepsFailingIsOneLineNamingTheObject() throws IOException {
    proxy.answerFirst(r -> true, 403);
    IOException e = assertThrows(IOException.class, () -> storage.read("checkpoint", 100));
    assertTrue(
        e.getMessage().startsWith("S3 read s3://" + BUCKET + "/logs/one/checkpoint: HTTP 403"),
        e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());

    try (LogStorage nowhere =
        LogLocation.of(LOCATION).withS3(S3Server.connection("http://127.0.0.1:1")).open()) {
      IOException down =
          assertThrows(IOException.class, () -> nowhere.write("checkpoint", new byte[1]));
      assertTrue(
          down.getMessage()
              .equals("S3 write s3://" + BUCKET + "/logs/one/checkpoint: connection refused"),
          down.getMessage());
    }
  }

  @Test
  void aLocationCarriedToAWorkerReachesItsOwnEndpointThroughOneSharedClient() throws IOException {
    LogLocation direct = LogLocation.of(LOCATION).withS3(S3.connection());
    LogLocation viaProxy = LogLocation.of(LOCATION).withS3(S3Server.connection(proxy.endpoint()));
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
    assertSame(viaProxy.s3().client(), carried.s3().client(), "equal connections share one client");
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }
}
