package dev.tlogmigrate.transforms.storage.bucket;

import dev.tlogmigrate.transforms.fetch.BoundedRead;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.ObjectDiffersException;
import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A log in a bucket of objects (GCS, S3) under an optional prefix ({@code
 * scheme://bucket/prefix/}): the logic the stores share, over primitives each store supplies with
 * its own error mapping.
 *
 * <ul>
 *   <li>{@code tile/...} and {@code issuer/...}, all that a run {@link #write}s, are immutable:
 *       created only where absent, never overwritten;
 *   <li>{@link #replace} is a compare-and-swap on the object's version token {@code V} (GCS: its
 *       generation, S3: its ETag);
 *   <li>objects stored with {@code Content-Encoding: gzip} are decoded here, bounded, rather than
 *       by the transport, so that the size limit holds for the bytes downloaded as well as decoded.
 * </ul>
 *
 * <p>An object is durable when its write returns, so {@link #flush} has nothing to do.
 */
public abstract class BucketStorage<V> implements LogStorage {
  /** How often a read or a conditional write starts over when the object changes under it. */
  protected static final int ATTEMPTS = 5;

  /** Objects at tile paths larger than this are not leftovers of this tool, but a wrong bucket. */
  private static final int LEFTOVER_READ_LIMIT = 64 << 20;

  private final String scheme;
  protected final String bucket;
  private final String prefix;

  /**
   * @param prefix "" or a prefix ending with '/'
   */
  protected BucketStorage(String scheme, String bucket, String prefix) {
    this.scheme = scheme;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /** An object as stored (gzip-encoded where {@code gzip}) and its version token, if any. */
  public record Stored<T>(byte[] raw, boolean gzip, T version) {}

  /** An object's decoded content and the version it was read at. */
  private record Current<T>(byte[] data, T version) {}

  /**
   * Thrown by a conditional write that lost: nothing was written. The store's answer is the cause.
   */
  protected static final class ConditionFailed extends Exception {
    public ConditionFailed(RuntimeException storeAnswer) {
      super(storeAnswer);
    }
  }

  /**
   * Reads an object raw, refusing one larger than {@link #exceedsStoredLimit} allows; empty when it
   * does not exist.
   */
  protected abstract Optional<Stored<V>> readStored(String path, int maxBytes) throws IOException;

  /** Writes an object, with {@link TesseraObjectMetadata}, only where none exists. */
  protected abstract void createIfAbsent(String path, byte[] data)
      throws IOException, ConditionFailed;

  /** Writes an object only while it is still at {@code version}. */
  protected abstract void replaceIfVersion(String path, byte[] data, V version)
      throws IOException, ConditionFailed;

  /** What the store calls a version token, for messages: "generation", "ETag". */
  protected abstract String versionName();

  /** What a store without version tokens lacks, for messages: "no object generations". */
  protected abstract String noVersions();

  /**
   * {@code scheme://bucket[/prefix]} as {@code scheme://bucket/} or {@code
   * scheme://bucket/prefix/}; refuses bucket names the store would refuse and prefixes with empty,
   * "." or ".." segments.
   *
   * @param aBucketName what {@code isBucket} accepts, for the message: "a GCS bucket name"
   */
  protected static String normalise(
      String location, String scheme, Predicate<String> isBucket, String aBucketName) {
    String rest = location.substring(scheme.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    if (!isBucket.test(bucket)) {
      throw new IllegalArgumentException(
          "not " + aBucketName + ": '" + bucket + "' in " + location);
    }
    String prefix =
        ObjectKeys.normalisePrefix(slash < 0 ? "" : rest.substring(slash + 1), location);
    return scheme + bucket + "/" + prefix;
  }

  /** The bucket of a {@link #normalise normalised} location. */
  protected static String bucketOf(String uri, String scheme) {
    String rest = uri.substring(scheme.length());
    return rest.substring(0, rest.indexOf('/'));
  }

  /** The prefix of a {@link #normalise normalised} location: "" or ending with '/'. */
  protected static String prefixOf(String uri, String scheme) {
    String rest = uri.substring(scheme.length());
    return rest.substring(rest.indexOf('/') + 1);
  }

  protected final String key(String path) {
    return ObjectKeys.name(prefix, path);
  }

  @Override
  public String describe(String path) {
    return scheme + bucket + "/" + prefix + path;
  }

  protected static boolean isGzip(String contentEncoding) {
    return contentEncoding != null && contentEncoding.trim().equalsIgnoreCase("gzip");
  }

  /** Compressing incompressible bytes (hashes) makes them a little larger: allows for that. */
  protected static long storedLimit(boolean gzip, int maxBytes) {
    return gzip ? (long) maxBytes + (maxBytes >> 8) + 1024 : maxBytes;
  }

  /** Whether a stored size the store reports (null: none) is more than a valid resource can be. */
  protected static boolean exceedsStoredLimit(Long size, boolean gzip, int maxBytes) {
    return size != null && size > storedLimit(gzip, maxBytes);
  }

  protected final InvalidLogException tooLarge(String path, String size, int maxBytes) {
    return new InvalidLogException(
        describe(path)
            + ": "
            + size
            + ", more than the "
            + maxBytes
            + " a valid resource can have");
  }

  @Override
  public Optional<byte[]> read(String path, int maxBytes) throws IOException {
    return readCurrent(path, maxBytes).map(Current::data);
  }

  private Optional<Current<V>> readCurrent(String path, int maxBytes) throws IOException {
    return readStored(path, maxBytes)
        .map(stored -> new Current<>(decoded(path, stored, maxBytes), stored.version()));
  }

  /** Bytes that do not start as gzip were decoded on the way (GCS's decompressive transcoding). */
  private byte[] decoded(String path, Stored<V> stored, int maxBytes) {
    byte[] raw = stored.raw();
    boolean encoded =
        stored.gzip() && raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
    if (raw.length > (encoded ? storedLimit(true, maxBytes) : maxBytes)) {
      throw tooLarge(path, raw.length + " bytes", maxBytes);
    }
    return encoded ? gunzip(raw, maxBytes, path) : raw;
  }

  private byte[] gunzip(byte[] raw, int maxBytes, String path) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return BoundedRead.readAtMost(
          in,
          maxBytes,
          describe(path),
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

  /**
   * Create-only, and never an overwrite: what a run writes are tiles, bundles and issuers, and the
   * objects that change (the checkpoint, the tree state) move only by {@link #replace}. On a
   * conflict the object is read back: the same bytes (a retried or repeated write) are fine. Other
   * bytes are refused, whoever wrote them: a job copying another fork into the same bucket (whose
   * tiles an overwrite would leave under this job's verified tree state, or this job's under its),
   * or a failed run from another fork (whose objects no tree state refers to: a run that the
   * operator knows to be alone replaces them, {@link #replaceUncommitted}). A run never writes a
   * path below the committed size, so committed objects are never in question.
   */
  @Override
  public void write(String path, byte[] data) throws IOException {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        createIfAbsent(path, data);
        return;
      } catch (ConditionFailed exists) {
        // compare with what is there
      }
      Optional<Current<V>> existing = readCurrent(path, Math.max(data.length, LEFTOVER_READ_LIMIT));
      if (existing.isEmpty()) {
        continue; // deleted since, or the other write in flight failed: try to create it again
      }
      if (Arrays.equals(existing.get().data(), data)) {
        return;
      }
      throw new ObjectDiffersException(
          describe(path)
              + ": already holds other bytes ("
              + existing.get().data().length
              + ") than this run verified ("
              + data.length
              + "): written by a concurrent job or a failed run from another fork; "
              + "tiles are never overwritten");
    }
    throw new IOException(describe(path) + ": changed " + ATTEMPTS + " times while being written");
  }

  /**
   * Writes over an object holding other bytes, conditionally on the version whose bytes were
   * compared: a write by anyone else in between is read again, never overwritten unseen.
   */
  @Override
  public void replaceUncommitted(String path, byte[] data) throws IOException {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Optional<Current<V>> existing = readCurrent(path, Math.max(data.length, LEFTOVER_READ_LIMIT));
      try {
        if (existing.isEmpty()) {
          createIfAbsent(path, data);
          return;
        }
        if (Arrays.equals(existing.get().data(), data)) {
          return;
        }
        V version = existing.get().version();
        if (version == null) {
          throw new IOException(
              describe(path) + ": the storage reports " + noVersions() + "; cannot replace it");
        }
        replaceIfVersion(path, data, version);
        return;
      } catch (ConditionFailed changed) {
        // written by someone else since it was read: compare again
      }
    }
    throw new IOException(describe(path) + ": changed " + ATTEMPTS + " times while being replaced");
  }

  /**
   * Compare-and-swap: create-if-absent when nothing is expected, else replace-if-version on the
   * version whose content was compared.
   */
  @Override
  public void replace(String path, byte[] expectedCurrent, byte[] data) throws IOException {
    if (expectedCurrent == null) {
      try {
        createIfAbsent(path, data);
      } catch (ConditionFailed e) {
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
    Optional<Current<V>> current =
        readCurrent(path, Math.max(REPLACE_READ_LIMIT, expectedCurrent.length));
    if (current.isEmpty() || !Arrays.equals(current.get().data(), expectedCurrent)) {
      throw new PreconditionFailedException(
          describe(path)
              + ": "
              + PreconditionFailedException.describeMismatch(
                  expectedCurrent, current.map(Current::data).orElse(null)));
    }
    V version = current.get().version();
    if (version == null) {
      throw new IOException(
          describe(path)
              + ": the storage reports "
              + noVersions()
              + "; cannot replace conditionally");
    }
    try {
      replaceIfVersion(path, data, version);
    } catch (ConditionFailed e) {
      if (readCurrent(path, Math.max(REPLACE_READ_LIMIT, data.length))
          .map(c -> Arrays.equals(c.data(), data))
          .orElse(false)) {
        return; // our own write, landed by an attempt the client retried after a lost response
      }
      throw conflict(
          describe(path)
              + ": changed between reading "
              + versionName()
              + " "
              + version
              + " and replacing it; another writer changed it, nothing written",
          e);
    }
  }

  /**
   * The store's answer attached as suppressed, not as the cause: the launcher prints the deepest
   * IOException of a cause chain.
   */
  private static PreconditionFailedException conflict(String message, ConditionFailed e) {
    PreconditionFailedException conflict = new PreconditionFailedException(message);
    conflict.addSuppressed(e.getCause());
    return conflict;
  }

  /** The client is shared by every storage of its connection in this JVM: not closed here. */
  @Override
  public void close() {}
}
