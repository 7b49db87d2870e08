package dev.tlogmigrate.transforms.storage.gcs;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.StorageException;
import dev.tlogmigrate.transforms.fetch.LargeReads;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.NetworkFailure;
import dev.tlogmigrate.transforms.storage.bucket.BucketStorage;
import dev.tlogmigrate.transforms.storage.bucket.TesseraObjectMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A log in a Google Cloud Storage bucket, under an optional prefix ({@code gs://bucket/prefix/}),
 * written the way Tessera's GCS driver writes it (Tessera v1.0.4, storage/gcp/gcp.go):
 *
 * <ul>
 *   <li>{@code tile/...} (hash tiles and entry bundles) and {@code issuer/...} are immutable:
 *       created with the precondition doesNotExist and never overwritten, with the metadata of
 *       {@link TesseraObjectMetadata};
 *   <li>{@code checkpoint} is advanced with a generation precondition ({@link
 *       LogStorage#advanceCheckpoint});
 *   <li>{@code .state/...} and anything else: {@link #replace} moves them with a generation
 *       precondition.
 * </ul>
 *
 * <p>Retries are the client's own (it retries idempotent calls: reads, and writes with a generation
 * precondition) plus the pipeline's (a failed bundle is run again).
 */
public final class GcsStorage extends BucketStorage<Long> {
  public static final String SCHEME = "gs://";
  private static final int HTTP_NOT_FOUND = 404;
  private static final int HTTP_PRECONDITION_FAILED = 412;

  /**
   * Bucket names: 3 to 222 characters of [a-z0-9._-], starting and ending with a letter or digit.
   */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]");

  private final Storage client;

  /**
   * @param prefix "" or a prefix ending with '/'
   */
  GcsStorage(Storage client, String bucket, String prefix) {
    super(SCHEME, bucket, prefix);
    this.client = client;
  }

  /**
   * Opens a normalised {@code gs://bucket/prefix/} location with this JVM's client for the
   * connection.
   */
  public static GcsStorage open(String uri, GcsConnection connection) {
    Storage client;
    try {
      client = connection.client();
    } catch (IllegalStateException e) { // no credentials: named with the location they were for
      throw new IllegalStateException(uri + ": " + e.getMessage()); // one line: not the cause
    }
    return new GcsStorage(client, bucketOf(uri, SCHEME), prefixOf(uri, SCHEME));
  }

  /** See {@link BucketStorage#normalise}. */
  public static String normalise(String location) {
    return normalise(location, SCHEME, BUCKET.asMatchPredicate(), "a GCS bucket name");
  }

  private BlobId id(String path) {
    return BlobId.of(bucket, key(path));
  }

  @Override
  protected String versionName() {
    return "generation";
  }

  @Override
  protected String noVersions() {
    return "no object generations";
  }

  /**
   * Reads metadata, then the bytes of exactly that generation, raw: the size limit is checked
   * before anything is downloaded. The generation is null from stand-ins without generations.
   */
  @Override
  protected Optional<Stored<Long>> readStored(String path, int maxBytes) throws IOException {
    BlobId id = id(path);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Blob blob;
      try {
        blob = client.get(id);
      } catch (StorageException e) {
        throw failure("read", path, e);
      }
      if (blob == null) {
        return Optional.empty();
      }
      boolean gzip = isGzip(blob.getContentEncoding());
      if (exceedsStoredLimit(blob.getSize(), gzip, maxBytes)) {
        throw tooLarge(path, blob.getSize() + " bytes", maxBytes);
      }
      if (blob.getSize() == null || blob.getSize() > LargeReads.SMALL_BYTES) {
        LargeReads.admit(describe(path)); // the client reads it whole into memory
      }
      List<BlobSourceOption> options = new ArrayList<>();
      options.add(BlobSourceOption.shouldReturnRawInputStream(true));
      if (blob.getGeneration() != null) {
        options.add(BlobSourceOption.generationMatch(blob.getGeneration()));
      }
      try {
        // Asked for raw bytes with the client's Accept-Encoding: gzip, GCS sends gzip objects as
        // stored.
        byte[] raw = client.readAllBytes(id, options.toArray(BlobSourceOption[]::new));
        return Optional.of(new Stored<>(raw, gzip, blob.getGeneration()));
      } catch (StorageException e) {
        if (e.getCode() == HTTP_NOT_FOUND || e.getCode() == HTTP_PRECONDITION_FAILED) {
          continue; // replaced or deleted between the two requests: look again
        }
        throw failure("read", path, e);
      }
    }
    throw new IOException(describe(path) + ": changed " + ATTEMPTS + " times while being read");
  }

  private BlobInfo info(String path) {
    BlobInfo.Builder b =
        BlobInfo.newBuilder(id(path)).setContentType(TesseraObjectMetadata.contentType(path));
    String cacheControl = TesseraObjectMetadata.cacheControl(path);
    if (cacheControl != null) {
      b.setCacheControl(cacheControl);
    }
    return b.build();
  }

  private void create(String path, byte[] data, BlobTargetOption... conditions) {
    BlobTargetOption[] options = Arrays.copyOf(conditions, conditions.length + 1);
    options[conditions.length] =
        BlobTargetOption.disableGzipContent(); // tiles are hashes: nothing to gain
    client.create(info(path), data, options);
  }

  @Override
  protected void createIfAbsent(String path, byte[] data) throws IOException, ConditionFailed {
    createIf(path, data, BlobTargetOption.doesNotExist());
  }

  @Override
  protected void replaceIfVersion(String path, byte[] data, Long generation)
      throws IOException, ConditionFailed {
    createIf(path, data, BlobTargetOption.generationMatch(generation));
  }

  private void createIf(String path, byte[] data, BlobTargetOption condition)
      throws IOException, ConditionFailed {
    try {
      create(path, data, condition);
    } catch (StorageException e) {
      if (e.getCode() == HTTP_PRECONDITION_FAILED) {
        throw new ConditionFailed(e);
      }
      throw failure("write", path, e);
    }
  }

  /**
   * One line naming the object and what went wrong. The client's exception is attached as
   * suppressed, not as the cause: the launcher prints the deepest IOException of a cause chain,
   * which would be a bare UnknownHostException or the like, without the object.
   */
  private IOException failure(String what, String path, StorageException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String why =
        root == e
            ? "HTTP " + e.getCode() + " " + e.getMessage()
            : (e.getCode() > 0 ? "HTTP " + e.getCode() + " " : "") + NetworkFailure.describe(root);
    IOException failure = new IOException("GCS " + what + " " + describe(path) + ": " + why);
    failure.addSuppressed(e);
    return failure;
  }
}
