package dev.tlogmigrate.transforms.storage.s3;

import dev.tlogmigrate.transforms.fetch.BoundedRead;
import dev.tlogmigrate.transforms.storage.NetworkFailure;
import dev.tlogmigrate.transforms.storage.bucket.BucketStorage;
import dev.tlogmigrate.transforms.storage.bucket.TesseraObjectMetadata;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A log in an S3 bucket (or an S3-compatible store), under an optional prefix ({@code
 * s3://bucket/prefix/}), with the semantics and object metadata of the GCS store ({@link
 * BucketStorage}):
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
 * <p>S3 is strongly consistent. A read is one GET: its body, ETag and encoding belong to one
 * version of the object; S3 never transcodes. Retries are the client's ({@link S3Connection}) plus
 * the pipeline's.
 */
public final class S3Storage extends BucketStorage<String> {
  public static final String SCHEME = "s3://";
  private static final int HTTP_NOT_FOUND = 404;
  private static final int HTTP_CONFLICT = 409;
  private static final int HTTP_PRECONDITION_FAILED = 412;

  /** Bucket names: 3 to 63 characters of [a-z0-9.-], starting and ending with a letter or digit. */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final S3Client client;

  /**
   * @param prefix "" or a prefix ending with '/'
   */
  S3Storage(S3Client client, String bucket, String prefix) {
    super(SCHEME, bucket, prefix);
    this.client = client;
  }

  /** Opens a normalised {@code s3://bucket/prefix/} location with this JVM's client for it. */
  public static S3Storage open(String uri, S3Connection connection) {
    return new S3Storage(connection.client(), bucketOf(uri, SCHEME), prefixOf(uri, SCHEME));
  }

  /** See {@link BucketStorage#normalise}. */
  public static String normalise(String location) {
    return normalise(
        location,
        SCHEME,
        bucket -> BUCKET.matcher(bucket).matches() && !bucket.contains(".."),
        "an S3 bucket name");
  }

  @Override
  protected String versionName() {
    return "ETag";
  }

  @Override
  protected String noVersions() {
    return "no ETag";
  }

  /**
   * One GET: the size is checked from its headers before the body is read. The client retries a
   * request that fails; a body cut short after the headers arrived is read again here.
   */
  @Override
  protected Optional<Stored<String>> readStored(String path, int maxBytes) throws IOException {
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

  private Stored<String> readOnce(String path, int maxBytes) throws IOException {
    String key = key(path);
    try (ResponseInputStream<GetObjectResponse> in =
        client.getObject(r -> r.bucket(bucket).key(key))) {
      GetObjectResponse object = in.response();
      boolean gzip = isGzip(object.contentEncoding());
      if (exceedsStoredLimit(object.contentLength(), gzip, maxBytes)) {
        in.abort(); // rather than reading the rest to keep the connection
        throw tooLarge(path, object.contentLength() + " bytes", maxBytes);
      }
      int storedLimit = (int) Math.min(storedLimit(gzip, maxBytes), Integer.MAX_VALUE);
      byte[] raw =
          BoundedRead.readAtMost(
              in, storedLimit, describe(path), tooLarge(path, "more bytes", maxBytes).getMessage());
      return new Stored<>(raw, gzip, object.eTag());
    }
  }

  /** A PUT with {@link TesseraObjectMetadata} for the path. */
  private PutObjectRequest.Builder request(String path) {
    return PutObjectRequest.builder()
        .bucket(bucket)
        .key(key(path))
        .contentType(TesseraObjectMetadata.contentType(path))
        .cacheControl(TesseraObjectMetadata.cacheControl(path));
  }

  private void send(PutObjectRequest.Builder request, byte[] data) {
    client.putObject(request.build(), RequestBody.fromBytes(data));
  }

  @Override
  protected void createIfAbsent(String path, byte[] data) throws IOException, ConditionFailed {
    try {
      send(request(path).ifNoneMatch("*"), data);
    } catch (S3Exception e) {
      if (lost(e)) {
        throw new ConditionFailed(e);
      }
      throw failure("write", path, e);
    } catch (SdkException e) {
      throw failure("write", path, e);
    }
  }

  @Override
  protected void replaceIfVersion(String path, byte[] data, String etag)
      throws IOException, ConditionFailed {
    try {
      send(request(path).ifMatch(etag), data);
    } catch (S3Exception e) {
      if (lost(e) || deleted(e)) {
        throw new ConditionFailed(e);
      }
      throw failure("write", path, e);
    } catch (SdkException e) {
      throw failure("write", path, e);
    }
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
}
