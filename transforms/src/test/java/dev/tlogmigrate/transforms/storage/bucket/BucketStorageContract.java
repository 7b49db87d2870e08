package dev.tlogmigrate.transforms.storage.bucket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.LogStorageContract;
import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import dev.tlogmigrate.transforms.testing.BucketServer;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy;
import dev.tlogmigrate.transforms.testing.GcsFaultProxy.Fault;
import dev.tlogmigrate.transforms.testing.TestNotes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a {@link BucketStorage} keeps on top of {@link LogStorageContract}, against a real server of
 * the store's API on loopback, through the client's HTTP path, with a {@link GcsFaultProxy} in
 * between where a test needs another writer at an exact moment, a lost response or a body cut
 * short: the object metadata of Tessera's layout, tiles created once and never overwritten, the
 * conditional tree-state and checkpoint writes against other writers, gzip decoded within the
 * limit, and a location that reaches its own endpoint on a worker.
 */
public abstract class BucketStorageContract extends LogStorageContract {
  /** The log's prefix in the bucket. */
  protected static final String PREFIX = "logs/one/";

  private static final String STATE = ".state/treeState";

  private final BucketServer server;
  private final String bucket;
  private final String versionName;
  private final String checkpointContentType;

  /** Between the store and its server. */
  protected GcsFaultProxy proxy;

  /**
   * @param bucket the test's, which the server has and empties before each test
   * @param versionName what the store's messages call a version token: "generation", "ETag"
   * @param checkpointContentType the checkpoint's content type as the server gives it back
   */
  protected BucketStorageContract(
      BucketServer server, String bucket, String versionName, String checkpointContentType) {
    this.server = server;
    this.bucket = bucket;
    this.versionName = versionName;
    this.checkpointContentType = checkpointContentType;
  }

  /** Bucket names that the store refuses, as its service would. */
  protected abstract List<String> refusedBucketNames();

  /** A valid bucket name with a dot and a character other than [a-z0-9-]. */
  protected abstract String unusualBucketName();

  /** The test's location, reached at an endpoint: the proxy, or the server itself. */
  protected abstract LogLocation locationAt(String endpoint);

  /** The client of this JVM that a location's store uses. */
  protected abstract Object sharedClient(LogLocation location);

  @Override
  protected final String location() {
    return server.scheme() + bucket + "/" + PREFIX;
  }

  @Override
  protected final byte[] stored(String path) {
    return server.stored(bucket, PREFIX + path);
  }

  @Override
  protected final void putBehindItsBack(String path, byte[] data) {
    server.put(bucket, PREFIX + path, data);
  }

  private BucketServer.Metadata metadata(String path) {
    return server.objectMetadata(bucket, PREFIX + path);
  }

  @Override
  protected final Object version(String path) {
    return metadata(path).version();
  }

  private String contentType(String path) {
    return metadata(path).contentType();
  }

  private String cacheControl(String path) {
    return metadata(path).cacheControl();
  }

  @Override
  protected final LogStorage open() throws IOException {
    proxy = new GcsFaultProxy(server.endpoint());
    return locationAt(proxy.endpoint()).open();
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  private boolean writes(GcsFaultProxy.Request request, String path) {
    return server.writes(request, bucket, PREFIX + path);
  }

  /** Runs what another job does, straight to the server, at a moment the proxy picks. */
  private Runnable anotherJob(StoreAction action) {
    return () -> {
      try (LogStorage other = locationAt(server.endpoint()).open()) {
        action.run(other);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private interface StoreAction {
    void run(LogStorage storage) throws IOException;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void locationsAreNormalisedAndCheckedLikeTheStoreDoes() {
    String s = server.scheme();
    assertEquals(s + "my-bucket/", LogLocation.of(s + "my-bucket").uri());
    assertEquals(s + "my-bucket/", LogLocation.of(s + "my-bucket/").uri());
    assertEquals(s + "my-bucket/a/b/", LogLocation.of(s + "my-bucket/a/b").uri());
    assertEquals(
        s + unusualBucketName() + "/a/", LogLocation.of(s + unusualBucketName() + "/a/").uri());
    LogLocation location = LogLocation.of(s + "my-bucket/a");
    assertTrue(location.isBucket() && !location.isLocal(), s);
    assertEquals(s.equals("gs://"), location.isGcs(), s);
    assertEquals(s.equals("s3://"), location.isS3(), s);
    List<String> refused = new ArrayList<>(List.of("", "-bucket", "UPPER"));
    refused.addAll(refusedBucketNames());
    refused.addAll(List.of("my-bucket/a//c", "my-bucket/../c", "my-bucket/./c"));
    for (String bad : refused) {
      assertThrows(IllegalArgumentException.class, () -> LogLocation.of(s + bad), s + bad);
    }
  }

  @Test
  void tilesBundlesAndIssuersAreCreatedWithTesserasMetadata() throws IOException {
    storage.write("tile/0/000.p/3", bytes(32 * 3));
    storage.write("tile/entries/000.p/3", utf8("abc"));
    storage.write("issuer/00ff", utf8("a certificate"));

    for (String path : new String[] {"tile/0/000.p/3", "tile/entries/000.p/3"}) {
      assertEquals("application/octet-stream", contentType(path), path);
      assertEquals("max-age=604800,immutable", cacheControl(path), path);
      assertNull(metadata(path).contentEncoding(), path);
    }
    assertEquals("application/pkix-cert", contentType("issuer/00ff"));
    assertNull(cacheControl("issuer/00ff"));
  }

  @Test
  void aTileWithOtherBytesIsNeverOverwritten() throws IOException {
    putBehindItsBack("tile/entries/001.p/5", utf8("another fork's bundle"));
    Object version = version("tile/entries/001.p/5");

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () -> storage.write("tile/entries/001.p/5", utf8("this run's bundle")));

    assertTrue(
        e.getMessage()
            .contains(storage.describe("tile/entries/001.p/5") + ": already holds other bytes"),
        e.getMessage());
    assertEquals("another fork's bundle", new String(stored("tile/entries/001.p/5"), UTF_8));
    assertEquals(version, version("tile/entries/001.p/5"));
  }

  @Test
  void aLeftoverChangedWhileBeingReplacedIsComparedAgainNotOverwrittenUnseen() throws IOException {
    putBehindItsBack("tile/entries/001.p/5", utf8("a failed run's bundle"));
    // Another write lands between this replace's read and its write: the write conditional on the
    // version read is refused, and the object is read and compared again before it is replaced.
    AtomicBoolean interleaved = new AtomicBoolean();
    proxy.beforeFirst(
        r -> writes(r, "tile/entries/001.p/5"),
        () -> {
          putBehindItsBack("tile/entries/001.p/5", utf8("another failed run's bundle"));
          interleaved.set(true);
        });
    AtomicLong writes = proxy.count(r -> writes(r, "tile/entries/001.p/5"));

    storage.replaceUncommitted("tile/entries/001.p/5", utf8("this run's bundle"));

    assertTrue(interleaved.get());
    // The first write, conditional on the version compared, was refused; the second followed a
    // new comparison. An unconditional replace would have written once, over the unseen bytes.
    assertEquals(2, writes.get());
    assertEquals("this run's bundle", new String(stored("tile/entries/001.p/5"), UTF_8));
  }

  @Test
  void aTileCreatedByARetryOfItsOwnLostWriteIsFine() throws IOException {
    byte[] tile = new byte[32 * 5];
    Arrays.fill(tile, (byte) 3);
    proxy.loseResponseOfFirst(r -> writes(r, "tile/0/003.p/5"));

    storage.write("tile/0/003.p/5", tile);

    assertArrayEquals(tile, stored("tile/0/003.p/5"));
    assertEquals(1, proxy.injected(Fault.RESPONSE_LOST));
  }

  @Test
  void stateObjectsAreNotCached() throws IOException {
    storage.replace(".state/version", null, new byte[] {'1'});
    storage.replace(STATE, null, utf8("size 10"));
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(10), 10);

    assertEquals(checkpointContentType, contentType("checkpoint"));
    assertEquals("no-cache", cacheControl("checkpoint"));
    for (String path : new String[] {".state/version", STATE}) {
      assertEquals("application/octet-stream", contentType(path), path);
      assertEquals("no-cache", cacheControl(path), path);
    }
  }

  @Test
  void aCheckpointPublishedBetweenTheReadAndTheWriteIsNotMovedBack() throws IOException {
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(300), 300);
    // A newer job publishes 900 just after this (older) job read 300 and before it writes 600.
    proxy.beforeFirst(
        r -> writes(r, "checkpoint"),
        anotherJob(newer -> newer.advanceCheckpoint("checkpoint", TestNotes.checkpoint(900), 900)));

    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(600), 600);

    assertArrayEquals(TestNotes.checkpoint(900), stored("checkpoint"));
  }

  @Test
  void twoJobsCannotBothAdvanceTheTreeState() throws IOException {
    storage.replace(STATE, null, utf8("size 10"));
    // The other job reads the same state and wins the race just before this one writes: this
    // job's write conditional on the version it read is refused.
    proxy.beforeFirst(
        r -> writes(r, STATE),
        anotherJob(other -> other.replace(STATE, utf8("size 10"), utf8("size 20 (other job)"))));

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () -> storage.replace(STATE, utf8("size 10"), utf8("size 30 (this job)")));

    assertTrue(e.getMessage().contains("changed between reading " + versionName), e.getMessage());
    assertEquals("size 20 (other job)", new String(stored(STATE), UTF_8));
  }

  @Test
  void twoJobsCannotBothCreateTheTreeState() throws IOException {
    proxy.beforeFirst(
        r -> writes(r, STATE),
        anotherJob(other -> other.replace(STATE, null, utf8("size 20 (other job)"))));

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () -> storage.replace(STATE, null, utf8("size 30 (this job)")));

    assertTrue(e.getMessage().contains("expected no resource but found"), e.getMessage());
    assertEquals("size 20 (other job)", new String(stored(STATE), UTF_8));
  }

  @Test
  void aTreeStateDeletedBetweenTheReadAndTheWriteIsNotRecreated() throws IOException {
    storage.replace(STATE, null, utf8("size 10"));
    proxy.beforeFirst(r -> writes(r, STATE), () -> server.delete(bucket, PREFIX + STATE));

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () -> storage.replace(STATE, utf8("size 10"), utf8("size 20")));

    assertTrue(e.getMessage().contains("changed between reading " + versionName), e.getMessage());
    assertNull(stored(STATE));
  }

  @Test
  void aConditionalWriteThatLandedBeforeItsRetryIsNotAConflict() throws IOException {
    storage.replace(STATE, null, utf8("size 10"));
    // The first attempt lands and only its response is lost: the client's retry gets the server's
    // 412.
    proxy.loseResponseOfFirst(r -> writes(r, STATE));

    storage.replace(STATE, utf8("size 10"), utf8("size 20"));

    assertEquals("size 20", new String(stored(STATE), UTF_8));
    assertEquals(1, proxy.injected(Fault.RESPONSE_LOST));
  }

  @Test
  void aDownloadCutShortIsReadAgain() throws IOException {
    byte[] bundle = new byte[100_000];
    Arrays.fill(bundle, (byte) 9);
    putBehindItsBack("tile/entries/009", bundle);
    proxy.cutShortNextDownload();

    assertArrayEquals(bundle, storage.read("tile/entries/009", bundle.length).orElseThrow());
    assertEquals(1, proxy.injected(Fault.CUT_SHORT));
  }

  @Test
  void gzipEncodedObjectsAreDecodedWithinTheLimit() throws IOException {
    byte[] bundle = new byte[5000];
    Arrays.fill(bundle, (byte) 'x');
    server.putGzipEncoded(bucket, PREFIX + "tile/entries/007", gzip(bundle));
    server.putGzipEncoded(
        bucket, PREFIX + "tile/entries/008", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});

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
  void aLocationCarriedToAWorkerReachesItsOwnEndpointThroughOneSharedClient() throws IOException {
    LogLocation direct = locationAt(server.endpoint());
    LogLocation viaProxy = locationAt(proxy.endpoint());
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
    assertSame(sharedClient(viaProxy), sharedClient(carried), "equal connections share one client");
    assertNotSame(sharedClient(direct), sharedClient(viaProxy), "other endpoints, other clients");
  }
}
