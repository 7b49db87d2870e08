package dev.tlogmigrate.transforms.storage;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.StorageException;
import dev.tlogmigrate.transforms.format.BoundedRead;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.LargeReads;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A log in a Google Cloud Storage bucket, under an optional prefix ({@code gs://bucket/prefix/}),
 * written the way Tessera's GCS driver writes it (Tessera v1.0.4, storage/gcp/gcp.go):
 *
 * <ul>
 *   <li>{@code tile/...} (hash tiles and entry bundles) and {@code issuer/...} are immutable:
 *       created with the precondition doesNotExist and never overwritten; content type {@code
 *       application/octet-stream} and {@code Cache-Control: max-age=604800,immutable} (issuers:
 *       {@code application/pkix-cert});
 *   <li>{@code checkpoint}: {@code text/plain; charset=utf-8}, {@code no-cache}, advanced with a
 *       generation precondition ({@link LogStorage#advanceCheckpoint});
 *   <li>{@code .state/...} and anything else: {@code application/octet-stream}, {@code no-cache};
 *       {@link #replace} moves them with a generation precondition.
 * </ul>
 *
 * <p>An object is durable when its create call returns, so {@link #flush} has nothing to do.
 * Retries are the client's own (it retries idempotent calls: reads, and writes with a generation
 * precondition) plus the pipeline's (a failed bundle is run again). Reads decode objects stored
 * with {@code Content-Encoding: gzip}.
 */
final class GcsStorage implements LogStorage {
  static final String SCHEME = "gs://";
  static final String IMMUTABLE = "max-age=604800,immutable";
  static final String NO_CACHE = "no-cache";
  static final String OCTET_STREAM = "application/octet-stream";
  static final String CHECKPOINT_TYPE = "text/plain; charset=utf-8";
  static final String ISSUER_TYPE = "application/pkix-cert";
  private static final int HTTP_NOT_FOUND = 404;
  private static final int HTTP_PRECONDITION_FAILED = 412;

  /**
   * Bucket names: 3 to 222 characters of [a-z0-9._-], starting and ending with a letter or digit.
   */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]");

  /** How often a read or a conditional write starts over when the object changes under it. */
  private static final int ATTEMPTS = 5;

  /** Objects at tile paths larger than this are not leftovers of this tool, but a wrong bucket. */
  private static final int LEFTOVER_READ_LIMIT = 64 << 20;

  private final Storage client;
  private final String bucket;
  private final String prefix;

  /**
   * @param prefix "" or a prefix ending with '/'
   */
  GcsStorage(Storage client, String bucket, String prefix) {
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /**
   * Opens a normalised {@code gs://bucket/prefix/} location with this JVM's client for the
   * connection.
   */
  static GcsStorage open(String uri, GcsConnection connection) {
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    return new GcsStorage(connection.client(), rest.substring(0, slash), rest.substring(slash + 1));
  }

  /**
   * {@code gs://bucket[/prefix]} as {@code gs://bucket/} or {@code gs://bucket/prefix/}; refuses
   * bucket names GCS would refuse and prefixes with empty, "." or ".." segments.
   */
  static String normalise(String location) {
    String rest = location.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (!BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException("not a GCS bucket name: '" + bucket + "' in " + location);
    }
    prefix = ObjectKeys.normalisePrefix(prefix, location);
    return SCHEME + bucket + "/" + prefix;
  }

  private BlobId id(String path) {
    return BlobId.of(bucket, ObjectKeys.name(prefix, path));
  }

  @Override
  public String describe(String path) {
    return SCHEME + bucket + "/" + prefix + path;
  }

  /**
   * An object's decoded content and the generation it was read at (null from stand-ins without
   * generations).
   */
  private record Current(byte[] data, Long generation) {}

  @Override
  public Optional<byte[]> read(String path, int maxBytes) throws IOException {
    return readCurrent(path, maxBytes).map(Current::data);
  }

  /**
   * Reads metadata, then the bytes of exactly that generation, raw: the size limit is checked
   * before anything is downloaded, and gzip is decoded here (bounded) rather than by the transport.
   */
  private Optional<Current> readCurrent(String path, int maxBytes) throws IOException {
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
      boolean gzip =
          blob.getContentEncoding() != null
              && blob.getContentEncoding().trim().equalsIgnoreCase("gzip");
      // Compressing incompressible bytes (hashes) makes them a little larger: allow for that.
      long storedLimit = gzip ? (long) maxBytes + (maxBytes >> 8) + 1024 : maxBytes;
      if (blob.getSize() != null && blob.getSize() > storedLimit) {
        throw new InvalidLogException(
            describe(path)
                + ": "
                + blob.getSize()
                + " bytes, more than the "
                + maxBytes
                + " a valid resource can have");
      }
      if (blob.getSize() == null || blob.getSize() > LargeReads.SMALL_BYTES) {
        LargeReads.admit(); // the client reads it whole into memory
      }
      List<BlobSourceOption> options = new ArrayList<>();
      options.add(BlobSourceOption.shouldReturnRawInputStream(true));
      if (blob.getGeneration() != null) {
        options.add(BlobSourceOption.generationMatch(blob.getGeneration()));
      }
      byte[] raw;
      try {
        raw = client.readAllBytes(id, options.toArray(BlobSourceOption[]::new));
      } catch (StorageException e) {
        if (e.getCode() == HTTP_NOT_FOUND || e.getCode() == HTTP_PRECONDITION_FAILED) {
          continue; // replaced or deleted between the two requests: look again
        }
        throw failure("read", path, e);
      }
      // Asked for raw bytes with the client's Accept-Encoding: gzip, GCS sends gzip objects as
      // stored.
      // Bytes that do not start as gzip must have been decoded on the way (decompressive
      // transcoding).
      boolean encoded =
          gzip && raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
      if (raw.length > (encoded ? storedLimit : maxBytes)) {
        throw new InvalidLogException(
            describe(path)
                + ": "
                + raw.length
                + " bytes, more than the "
                + maxBytes
                + " a valid resource can have");
      }
      return Optional.of(
          new Current(encoded ? gunzip(raw, maxBytes, path) : raw, blob.getGeneration()));
    }
    throw new IOException(describe(path) + ": changed " + ATTEMPTS + " times while being read");
  }

  private byte[] gunzip(byte[] raw, int maxBytes, String path) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return BoundedRead.readAtMost(
          in,
          maxBytes,
          describe(path)
              + ": decompresses to more than the "
              + maxBytes
              + " bytes a valid resource can have");
    } catch (IOException e) {
      throw new InvalidLogException(
          describe(path)
              + ": stored with Content-Encoding gzip but not valid gzip: "
              + e.getMessage(),
          e);
    }
  }

  private static boolean isImmutable(String path) {
    return path.startsWith("tile/") || path.startsWith("issuer/");
  }

  private BlobInfo info(String path) {
    BlobInfo.Builder b = BlobInfo.newBuilder(id(path));
    if (path.startsWith("tile/")) {
      b.setContentType(OCTET_STREAM).setCacheControl(IMMUTABLE);
    } else if (path.startsWith("issuer/")) {
      b.setContentType(ISSUER_TYPE); // as Tessera: no Cache-Control
    } else if (path.equals("checkpoint")) {
      b.setContentType(CHECKPOINT_TYPE).setCacheControl(NO_CACHE);
    } else {
      b.setContentType(OCTET_STREAM).setCacheControl(NO_CACHE);
    }
    return b.build();
  }

  private void create(BlobInfo info, byte[] data, BlobTargetOption... conditions) {
    BlobTargetOption[] options = Arrays.copyOf(conditions, conditions.length + 1);
    options[conditions.length] =
        BlobTargetOption.disableGzipContent(); // tiles are hashes: nothing to gain
    client.create(info, data, options);
  }

  @Override
  public void write(String path, byte[] data) throws IOException {
    BlobInfo info = info(path);
    try {
      if (isImmutable(path)) {
        writeImmutable(path, info, data);
      } else {
        create(info, data);
      }
    } catch (StorageException e) {
      throw failure("write", path, e);
    }
  }

  /**
   * Create-only, and never an overwrite. On a conflict the object is read back: the same bytes (a
   * retried or repeated write) are fine. Other bytes are refused, whoever wrote them: a job copying
   * another fork into the same bucket (whose tiles an overwrite would leave under this job's
   * verified tree state, or this job's under its), or a failed run from another fork (whose objects
   * no tree state refers to: an operator removes them). A run never writes a path below the
   * committed size, so committed objects are never in question.
   */
  private void writeImmutable(String path, BlobInfo info, byte[] data) throws IOException {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        create(info, data, BlobTargetOption.doesNotExist());
        return;
      } catch (StorageException e) {
        if (e.getCode() != HTTP_PRECONDITION_FAILED) {
          throw e;
        }
      }
      Optional<Current> existing = readCurrent(path, Math.max(data.length, LEFTOVER_READ_LIMIT));
      if (existing.isEmpty()) {
        continue; // deleted since: try to create it again
      }
      if (Arrays.equals(existing.get().data(), data)) {
        return;
      }
      throw new PreconditionFailedException(
          describe(path)
              + ": already holds other bytes ("
              + existing.get().data().length
              + ") than this run verified ("
              + data.length
              + "): written by a concurrent job or a failed run from another fork; "
              + "tiles are never overwritten. Once no other job runs, delete the objects above the committed tree size and run again");
    }
    throw new IOException(describe(path) + ": changed " + ATTEMPTS + " times while being written");
  }

  /**
   * Compare-and-swap with a generation precondition: {@code doesNotExist} when nothing is expected,
   * else {@code ifGenerationMatch} on the generation whose content was compared.
   */
  @Override
  public void replace(String path, byte[] expectedCurrent, byte[] data) throws IOException {
    BlobInfo info = info(path);
    try {
      if (expectedCurrent == null) {
        try {
          create(info, data, BlobTargetOption.doesNotExist());
        } catch (StorageException e) {
          if (e.getCode() != HTTP_PRECONDITION_FAILED) {
            throw e;
          }
          byte[] found =
              readCurrent(path, Math.max(REPLACE_READ_LIMIT, data.length))
                  .map(Current::data)
                  .orElse(null);
          if (Arrays.equals(found, data)) {
            return; // our own write, landed by an attempt the client retried after a lost response
          }
          throw conflict(
              describe(path) + ": " + PreconditionFailedException.describeMismatch(null, found), e);
        }
        return;
      }
      Optional<Current> current =
          readCurrent(path, Math.max(REPLACE_READ_LIMIT, expectedCurrent.length));
      if (current.isEmpty() || !Arrays.equals(current.get().data(), expectedCurrent)) {
        throw new PreconditionFailedException(
            describe(path)
                + ": "
                + PreconditionFailedException.describeMismatch(
                    expectedCurrent, current.map(Current::data).orElse(null)));
      }
      if (current.get().generation() == null) {
        throw new IOException(
            describe(path)
                + ": the storage reports no object generations; cannot replace conditionally");
      }
      try {
        create(info, data, BlobTargetOption.generationMatch(current.get().generation()));
      } catch (StorageException e) {
        if (e.getCode() != HTTP_PRECONDITION_FAILED) {
          throw e;
        }
        if (readCurrent(path, Math.max(REPLACE_READ_LIMIT, data.length))
            .map(c -> Arrays.equals(c.data(), data))
            .orElse(false)) {
          return; // our own write, landed by an attempt the client retried after a lost response
        }
        throw conflict(
            describe(path)
                + ": changed between reading generation "
                + current.get().generation()
                + " and replacing it; another writer changed it, nothing written",
            e);
      }
    } catch (StorageException e) {
      throw failure("write", path, e);
    }
  }

  @Override
  public void delete(String path) throws IOException {
    try {
      client.delete(id(path));
    } catch (StorageException e) {
      throw failure("delete", path, e);
    }
  }

  /** The client's 412 attached as suppressed, for the reason given at {@link #failure}. */
  private static PreconditionFailedException conflict(String message, StorageException e) {
    PreconditionFailedException conflict = new PreconditionFailedException(message);
    conflict.addSuppressed(e);
    return conflict;
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

  /**
   * The client is shared by every storage of its connection in this JVM (GcsConnection): not closed
   * here.
   */
  @Override
  public void close() {}
}
