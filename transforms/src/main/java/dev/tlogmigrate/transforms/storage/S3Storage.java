package dev.tlogmigrate.transforms.storage;

import dev.tlogmigrate.transforms.format.BoundedRead;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A log in an S3 bucket (or an S3-compatible store), under an optional prefix ({@code
 * s3://bucket/prefix/}), with the semantics and object metadata of {@link GcsStorage}:
 *
 * <ul>
 *   <li>{@code tile/...} and {@code issuer/...} are immutable: created with {@code If-None-Match:
 *       *} and never overwritten;
 *   <li>{@code checkpoint} and {@code .state/...} are moved by {@link #replace}: {@code
 *       If-None-Match: *} where nothing is expected, else {@code If-Match} on the ETag of the
 *       content compared. S3 answers 412 when the condition fails (and 409 when another conditional
 *       write to the key is in flight): nothing is written either way.
 * </ul>
 *
 * <p>S3 is strongly consistent and an object is durable when its PUT returns, so {@link #flush} has
 * nothing to do. A read is one GET: its body, ETag and encoding belong to one version of the
 * object. Objects stored with {@code Content-Encoding: gzip} are decoded here (bounded); S3 never
 * transcodes. Retries are the client's ({@link S3Connection}) plus the pipeline's.
 */
final class S3Storage implements LogStorage {
  static final String SCHEME = "s3://";
  private static final int HTTP_NOT_FOUND = 404;
  private static final int HTTP_CONFLICT = 409;
  private static final int HTTP_PRECONDITION_FAILED = 412;

  /** Bucket names: 3 to 63 characters of [a-z0-9.-], starting and ending with a letter or digit. */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /** How often a conditional write starts over when the object changes under it. */
  private static final int ATTEMPTS = 5;

  /** Objects at tile paths larger than this are not leftovers of this tool, but a wrong bucket. */
  private static final int LEFTOVER_READ_LIMIT = 64 << 20;

  private final S3Client client;
  private final String bucket;
  private final String prefix;

  /**
   * @param prefix "" or a prefix ending with '/'
   */
  S3Storage(S3Client client, String bucket, String prefix) {
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /** Opens a normalised {@code s3://bucket/prefix/} location with this JVM's client for it. */
  static S3Storage open(String uri, S3Connection connection) {
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    return new S3Storage(connection.client(), rest.substring(0, slash), rest.substring(slash + 1));
  }

  /**
   * {@code s3://bucket[/prefix]} as {@code s3://bucket/} or {@code s3://bucket/prefix/}; refuses
   * bucket names S3 would refuse and prefixes with empty, "." or ".." segments.
   */
  static String normalise(String location) {
    String rest = location.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw new IllegalArgumentException("not an S3 bucket name: '" + bucket + "' in " + location);
    }
    String prefix =
        ObjectKeys.normalisePrefix(slash < 0 ? "" : rest.substring(slash + 1), location);
    return SCHEME + bucket + "/" + prefix;
  }

  private String key(String path) {
    return ObjectKeys.name(prefix, path);
  }

  @Override
  public String describe(String path) {
    return SCHEME + bucket + "/" + prefix + path;
  }

  /** An object's decoded content and the ETag of the version it was read from. */
  private record Current(byte[] data, String etag) {}

  @Override
  public Optional<byte[]> read(String path, int maxBytes) throws IOException {
    return readCurrent(path, maxBytes).map(Current::data);
  }

  /**
   * One GET: the size is checked from its headers before the body is read, and gzip is decoded
   * here, bounded. The client retries a request that fails; a body cut short after the headers
   * arrived is read again here.
   */
  private Optional<Current> readCurrent(String path, int maxBytes) throws IOException {
    IOException cut = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return Optional.of(readOnce(path, maxBytes));
      } catch (S3Exception e) {
        if (e.statusCode() == HTTP_NOT_FOUND) {
          return Optional.empty();
        }
        throw failure("read", path, e);
      } catch (SdkException e) {
        throw failure("read", path, e);
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        cut = e;
      }
    }
    throw new IOException(
        "S3 read " + describe(path) + ": body cut short " + ATTEMPTS + " times: " + cut, cut);
  }

  private Current readOnce(String path, int maxBytes) throws IOException {
    String key = key(path);
    try (ResponseInputStream<GetObjectResponse> in =
        client.getObject(r -> r.bucket(bucket).key(key))) {
      GetObjectResponse object = in.response();
      boolean gzip =
          object.contentEncoding() != null
              && object.contentEncoding().trim().equalsIgnoreCase("gzip");
      // Compressing incompressible bytes (hashes) makes them a little larger: allow for that.
      int storedLimit = gzip ? maxBytes + (maxBytes >> 8) + 1024 : maxBytes;
      if (object.contentLength() != null && object.contentLength() > storedLimit) {
        in.abort(); // rather than reading the rest to keep the connection
        throw tooLarge(path, object.contentLength() + " bytes", maxBytes);
      }
      byte[] raw =
          BoundedRead.readAtMost(
              in, storedLimit, tooLarge(path, "more bytes", maxBytes).getMessage());
      boolean encoded =
          gzip && raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
      if (!encoded && raw.length > maxBytes) {
        throw tooLarge(path, raw.length + " bytes", maxBytes);
      }
      return new Current(encoded ? gunzip(raw, maxBytes, path) : raw, object.eTag());
    }
  }

  private InvalidLogException tooLarge(String path, String size, int maxBytes) {
    return new InvalidLogException(
        describe(path)
            + ": "
            + size
            + ", more than the "
            + maxBytes
            + " a valid resource can have");
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

  /** A PUT with Tessera's object metadata for the path (as {@link GcsStorage#info}). */
  private PutObjectRequest.Builder put(String path) {
    PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(key(path));
    if (path.startsWith("tile/")) {
      b.contentType(GcsStorage.OCTET_STREAM).cacheControl(GcsStorage.IMMUTABLE);
    } else if (path.startsWith("issuer/")) {
      b.contentType(GcsStorage.ISSUER_TYPE);
    } else if (path.equals("checkpoint")) {
      b.contentType(GcsStorage.CHECKPOINT_TYPE).cacheControl(GcsStorage.NO_CACHE);
    } else {
      b.contentType(GcsStorage.OCTET_STREAM).cacheControl(GcsStorage.NO_CACHE);
    }
    return b;
  }

  private void send(PutObjectRequest.Builder request, byte[] data) {
    client.putObject(request.build(), RequestBody.fromBytes(data));
  }

  /** The conditional write lost: the object exists, or changed, or another write was in flight. */
  private static boolean lost(S3Exception e) {
    return e.statusCode() == HTTP_PRECONDITION_FAILED || e.statusCode() == HTTP_CONFLICT;
  }

  /** An If-Match write found no object: it was deleted since it was read (not: no bucket). */
  private static boolean deleted(S3Exception e) {
    return e.statusCode() == HTTP_NOT_FOUND
        && e.awsErrorDetails() != null
        && "NoSuchKey".equals(e.awsErrorDetails().errorCode());
  }

  @Override
  public void write(String path, byte[] data) throws IOException {
    try {
      if (isImmutable(path)) {
        writeImmutable(path, data);
      } else {
        send(put(path), data);
      }
    } catch (SdkException e) {
      throw failure("write", path, e);
    }
  }

  /**
   * Create-only, and never an overwrite; on a conflict the object is read back, and the same bytes
   * (a retried or repeated write) are fine. Other bytes are refused, as {@link GcsStorage} refuses
   * them, and for the same reasons.
   */
  private void writeImmutable(String path, byte[] data) throws IOException {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        send(put(path).ifNoneMatch("*"), data);
        return;
      } catch (S3Exception e) {
        if (!lost(e)) {
          throw e;
        }
      }
      Optional<Current> existing = readCurrent(path, Math.max(data.length, LEFTOVER_READ_LIMIT));
      if (existing.isEmpty()) {
        continue; // deleted since, or the other write in flight failed: try to create it again
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
   * Compare-and-swap: {@code If-None-Match: *} when nothing is expected, else {@code If-Match} on
   * the ETag of the version whose content was compared.
   */
  @Override
  public void replace(String path, byte[] expectedCurrent, byte[] data) throws IOException {
    try {
      if (expectedCurrent == null) {
        try {
          send(put(path).ifNoneMatch("*"), data);
        } catch (S3Exception e) {
          if (!lost(e)) {
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
      if (current.get().etag() == null) {
        throw new IOException(
            describe(path) + ": the storage reports no ETag; cannot replace conditionally");
      }
      try {
        send(put(path).ifMatch(current.get().etag()), data);
      } catch (S3Exception e) {
        if (!lost(e) && !deleted(e)) {
          throw e;
        }
        if (readCurrent(path, Math.max(REPLACE_READ_LIMIT, data.length))
            .map(c -> Arrays.equals(c.data(), data))
            .orElse(false)) {
          return; // our own write, landed by an attempt the client retried after a lost response
        }
        throw conflict(
            describe(path)
                + ": changed between reading ETag "
                + current.get().etag()
                + " and replacing it; another writer changed it, nothing written",
            e);
      }
    } catch (SdkException e) {
      throw failure("write", path, e);
    }
  }

  @Override
  public void delete(String path) throws IOException {
    try {
      client.deleteObject(r -> r.bucket(bucket).key(key(path)));
    } catch (SdkException e) {
      throw failure("delete", path, e);
    }
  }

  /** The client's 412 attached as suppressed, for the reason given at {@link #failure}. */
  private static PreconditionFailedException conflict(String message, S3Exception e) {
    PreconditionFailedException conflict = new PreconditionFailedException(message);
    conflict.addSuppressed(e);
    return conflict;
  }

  /**
   * One line naming the object and what went wrong: the HTTP status and S3's error code and
   * message, or what a request without a response met ({@link NetworkFailure}). The client's
   * exception is attached as suppressed, not as the cause: the launcher prints the deepest
   * IOException of a cause chain, which would be a bare ConnectException or the like, without the
   * object.
   */
  private IOException failure(String what, String path, SdkException e) {
    String why;
    if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
      why =
          "HTTP "
              + s3.statusCode()
              + " "
              + s3.awsErrorDetails().errorCode()
              + ": "
              + s3.awsErrorDetails().errorMessage();
    } else {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      why = NetworkFailure.describe(root);
    }
    IOException failure = new IOException("S3 " + what + " " + describe(path) + ": " + why);
    failure.addSuppressed(e);
    return failure;
  }

  /** The client is shared by every storage of its connection in this JVM: not closed here. */
  @Override
  public void close() {}
}
