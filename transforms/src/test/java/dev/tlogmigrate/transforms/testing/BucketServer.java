package dev.tlogmigrate.transforms.testing;

import java.util.List;
import java.util.Map;

/**
 * A server of a bucket store's API on loopback ({@link FakeGcsServer}, {@link S3Server}) as the
 * tests see it: how a location and the command line reach it, and its objects set up and looked at
 * behind the back of the code under test. Keys are whole object names (a log's prefix included).
 */
public interface BucketServer {
  /** An object's metadata as the server keeps it; the version is GCS's generation, S3's ETag. */
  record Metadata(
      String contentType, String cacheControl, String contentEncoding, Object version) {}

  /** The scheme of the store's locations: "gs://", "s3://". */
  String scheme();

  /** {@code http://127.0.0.1:PORT}: the server, for a client or a proxy in front. */
  String endpoint();

  /** The command line's flags that reach the store at {@code endpoint}: this server or a proxy. */
  List<String> flags(String endpoint);

  /** Stores an object as given. */
  void put(String bucket, String key, byte[] data);

  /** Stores an object as given, with {@code Content-Encoding: gzip}. */
  void putGzipEncoded(String bucket, String key, byte[] gzip);

  /** An object's stored bytes (not decoded), or null. */
  byte[] stored(String bucket, String key);

  /** Every object under prefix in bucket, by name relative to the prefix, with its stored bytes. */
  Map<String, byte[]> objects(String bucket, String prefix);

  /** An object's metadata, or null. */
  Metadata objectMetadata(String bucket, String key);

  void delete(String bucket, String key);

  /** Whether a request through a {@link GcsFaultProxy} writes the object. */
  boolean writes(GcsFaultProxy.Request request, String bucket, String key);
}
