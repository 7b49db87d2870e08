package dev.tlogmigrate.transforms.storage.bucket;

/**
 * The content type and Cache-Control of a log's objects in a bucket, as Tessera's GCS driver writes
 * them (Tessera v1.0.4, storage/gcp/gcp.go), so that its readers and caches see our objects as they
 * see its own.
 */
public final class TesseraObjectMetadata {
  public static final String IMMUTABLE = "max-age=604800,immutable";
  public static final String NO_CACHE = "no-cache";
  public static final String OCTET_STREAM = "application/octet-stream";
  public static final String CHECKPOINT_TYPE = "text/plain; charset=utf-8";
  public static final String ISSUER_TYPE = "application/pkix-cert";

  private TesseraObjectMetadata() {}

  public static String contentType(String path) {
    if (path.startsWith("issuer/")) {
      return ISSUER_TYPE;
    }
    return path.equals("checkpoint") ? CHECKPOINT_TYPE : OCTET_STREAM;
  }

  /** Null for issuers: Tessera sets no Cache-Control on them. */
  public static String cacheControl(String path) {
    if (path.startsWith("tile/")) {
      return IMMUTABLE;
    }
    return path.startsWith("issuer/") ? null : NO_CACHE;
  }
}
