package dev.tlogmigrate.transforms.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.storage.model.StorageObject;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.GenerationalFakeStorageRpc;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TreeState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GcsStorage against LocalStorageHelper's in-memory fake, extended with generations and
 * preconditions ({@link GenerationalFakeStorageRpc}): the write modes and object metadata of
 * Tessera's GCS driver, the conditional tree-state write, and the read limits.
 */
class GcsStorageTest {
  private static final String BUCKET = "gcs-storage-test";
  private static final String PREFIX = "logs/one/";

  private final GenerationalFakeStorageRpc fake = new GenerationalFakeStorageRpc();
  private GcsClients.Registration registration;
  private LogStorage storage;

  @BeforeEach
  void open() {
    registration = GcsClients.overrideForBucket(BUCKET, fake::storage);
    storage = LogLocation.of("gs://" + BUCKET + "/logs/one").open();
  }

  @AfterEach
  void close() throws IOException {
    storage.close();
    registration.close();
  }

  private StorageObject meta(String path) {
    return fake.metadata(BUCKET, PREFIX + path);
  }

  private byte[] stored(String path) {
    return fake.objects(BUCKET, PREFIX).get(path);
  }

  /** Puts an object behind the storage's back, as another writer (or an earlier run) would. */
  private void put(String path, byte[] data) {
    fake.storage().create(BlobInfo.newBuilder(BlobId.of(BUCKET, PREFIX + path)).build(), data);
  }

  @Test
  void locationsAreNormalisedAndCheckedLikeGcsDoes() {
    assertEquals("gs://my-bucket/", LogLocation.of("gs://my-bucket").uri());
    assertEquals("gs://my-bucket/", LogLocation.of("gs://my-bucket/").uri());
    assertEquals("gs://my-bucket/a/b/", LogLocation.of("gs://my-bucket/a/b").uri());
    assertEquals("gs://my.bucket_1/a/", LogLocation.of("gs://my.bucket_1/a/").uri());
    assertTrue(LogLocation.of("gs://my-bucket/a").isGcs());
    for (String bad : new String[] {"gs://", "gs://UPPER", "gs://a", "gs://-bucket", "gs://b/a//c", "gs://b/../c", "gs://b/./c"}) {
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
    assertEquals(Optional.of("abc"), storage.read("tile/entries/000.p/3", 10).map(b -> new String(b, UTF_8)));
  }

  @Test
  void rewritingTheSameTileIsFineAndLeavesTheObjectAlone() throws IOException {
    storage.write("tile/1/000", new byte[8192]);
    Long generation = meta("tile/1/000").getGeneration();

    storage.write("tile/1/000", new byte[8192]);

    assertEquals(generation, meta("tile/1/000").getGeneration(), "an identical object must not be written again");
  }

  @Test
  void aConflictingLeftoverIsOverwritten() throws IOException {
    put("tile/entries/001.p/5", "left over by a failed run".getBytes(UTF_8));
    Long leftover = meta("tile/entries/001.p/5").getGeneration();

    storage.write("tile/entries/001.p/5", "the verified bundle".getBytes(UTF_8));

    assertEquals("the verified bundle", new String(stored("tile/entries/001.p/5"), UTF_8));
    assertTrue(meta("tile/entries/001.p/5").getGeneration() > leftover);
    assertEquals("max-age=604800,immutable", meta("tile/entries/001.p/5").getCacheControl());
  }

  @Test
  void aLeftoverThatChangesWhileBeingReplacedIsComparedAgain() throws IOException {
    put("tile/0/002", "leftover".getBytes(UTF_8));
    // Between the failed create and the conditional overwrite, another writer puts the right bytes.
    byte[] right = "right".getBytes(UTF_8);
    fake.beforeNextCreate(name -> fake.beforeNextCreate(n -> put("tile/0/002", right)));

    storage.write("tile/0/002", right);

    assertArrayEquals(right, stored("tile/0/002"));
  }

  @Test
  void checkpointAndStateObjectsAreOverwrittenAndNotCached() throws IOException {
    storage.write("checkpoint", "old\n".getBytes(UTF_8));
    storage.write("checkpoint", "new\n".getBytes(UTF_8));
    storage.write(".state/version", new byte[] {'1'});

    assertEquals("new\n", new String(stored("checkpoint"), UTF_8));
    assertEquals("text/plain; charset=utf-8", meta("checkpoint").getContentType());
    assertEquals("no-cache", meta("checkpoint").getCacheControl());
    assertEquals("application/octet-stream", meta(".state/version").getContentType());
    assertEquals("no-cache", meta(".state/version").getCacheControl());
  }

  @Test
  void replaceCreatesOnlyWhatDoesNotExistYet() throws IOException {
    storage.replace(".state/treeState", null, "first".getBytes(UTF_8));
    assertEquals("application/octet-stream", meta(".state/treeState").getContentType());

    PreconditionFailedException e = assertThrows(PreconditionFailedException.class,
        () -> storage.replace(".state/treeState", null, "second".getBytes(UTF_8)));

    assertTrue(e.getMessage().contains("expected no resource but found 'first'"), e.getMessage());
    assertEquals("first", new String(stored(".state/treeState"), UTF_8));
  }

  @Test
  void replaceRefusesAStaleExpectation() throws IOException {
    storage.replace(".state/treeState", null, "size 10".getBytes(UTF_8));
    storage.replace(".state/treeState", "size 10".getBytes(UTF_8), "size 20".getBytes(UTF_8));

    assertThrows(PreconditionFailedException.class,
        () -> storage.replace(".state/treeState", "size 10".getBytes(UTF_8), "size 30".getBytes(UTF_8)));
    assertEquals("size 20", new String(stored(".state/treeState"), UTF_8));
  }

  @Test
  void twoJobsCannotBothAdvanceTheTreeState() throws IOException {
    storage.replace(".state/treeState", null, "size 10".getBytes(UTF_8));
    // The other job reads the same state and wins the race just before this one writes.
    fake.beforeNextCreate(name -> {
      try (LogStorage other = LogLocation.of("gs://" + BUCKET + "/logs/one").open()) {
        other.replace(".state/treeState", "size 10".getBytes(UTF_8), "size 20 (other job)".getBytes(UTF_8));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });

    PreconditionFailedException e = assertThrows(PreconditionFailedException.class,
        () -> storage.replace(".state/treeState", "size 10".getBytes(UTF_8), "size 30 (this job)".getBytes(UTF_8)));

    assertTrue(e.getMessage().contains("changed between reading generation"), e.getMessage());
    assertEquals("size 20 (other job)", new String(stored(".state/treeState"), UTF_8));
  }

  @Test
  void aConditionalWriteThatLandedBeforeItsRetryIsNotAConflict() throws IOException {
    storage.replace(".state/treeState", null, "size 10".getBytes(UTF_8));
    // As if the client's first attempt had landed and only its response was lost: the retry gets 412.
    fake.beforeNextCreate(name -> put(".state/treeState", "size 20".getBytes(UTF_8)));

    storage.replace(".state/treeState", "size 10".getBytes(UTF_8), "size 20".getBytes(UTF_8));

    assertEquals("size 20", new String(stored(".state/treeState"), UTF_8));
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
    assertThrows(PreconditionFailedException.class, () -> storage.advanceTreeState(".state/treeState", empty, twenty));
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
    InvalidLogException e = assertThrows(InvalidLogException.class, () -> storage.read("tile/entries/005", 999));
    assertTrue(e.getMessage().contains("gs://" + BUCKET + "/logs/one/tile/entries/005: 1000 bytes"), e.getMessage());
  }

  @Test
  void gzipEncodedObjectsAreDecodedWithinTheLimit() throws IOException {
    byte[] bundle = new byte[5000];
    Arrays.fill(bundle, (byte) 'x');
    Storage client = fake.storage();
    client.create(BlobInfo.newBuilder(BlobId.of(BUCKET, PREFIX + "tile/entries/007")).setContentEncoding("gzip").build(), gzip(bundle));
    client.create(BlobInfo.newBuilder(BlobId.of(BUCKET, PREFIX + "tile/entries/008")).setContentEncoding("gzip").build(), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
    // Served decoded already (decompressive transcoding): passed on as it is.
    client.create(BlobInfo.newBuilder(BlobId.of(BUCKET, PREFIX + "tile/entries/009")).setContentEncoding("gzip").build(), "plain".getBytes(UTF_8));

    assertArrayEquals(bundle, storage.read("tile/entries/007", 5000).orElseThrow());
    assertTrue(stored("tile/entries/007").length < 100, "stored compressed");
    InvalidLogException bomb = assertThrows(InvalidLogException.class, () -> storage.read("tile/entries/007", 4999));
    assertTrue(bomb.getMessage().contains("decompresses to more than the 4999 bytes"), bomb.getMessage());
    InvalidLogException bad = assertThrows(InvalidLogException.class, () -> storage.read("tile/entries/008", 5000));
    assertTrue(bad.getMessage().contains("not valid gzip"), bad.getMessage());
    assertEquals(Optional.of("plain"), storage.read("tile/entries/009", 5000).map(b -> new String(b, UTF_8)));
  }

  @Test
  void deleteRemovesAndIgnoresAbsentObjects() throws IOException {
    storage.write("checkpoint", "x".getBytes(UTF_8));
    storage.delete("checkpoint");
    storage.delete("checkpoint");
    assertEquals(Optional.empty(), storage.read("checkpoint", 10));
  }

  @Test
  void eachOpenGetsItsOwnClient() throws IOException {
    int[] made = {0};
    try (GcsClients.Registration r = GcsClients.overrideForBucket("counted-bucket", () -> {
      made[0]++;
      return fake.storage();
    })) {
      LogLocation location = LogLocation.of("gs://counted-bucket/p");
      try (LogStorage a = location.open(); LogStorage b = location.open()) {
        assertEquals(2, made[0]);
      }
    }
    assertThrows(IllegalStateException.class, () -> GcsClients.overrideForBucket(BUCKET, fake::storage));
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }
}
