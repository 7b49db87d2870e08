package dev.tlogmigrate.transforms.storage;

/**
 * The content type and Cache-Control of a log's objects in a bucket, as Tessera's GCS driver writes
 * them (Tessera v1.0.4, storage/gcp/gcp.go), so that its readers and caches see our objects as they
 * see its own.
 */
final class TesseraObjectMetadata {
  static final String IMMUTABLE = "max-age=604800,immutable";
  static final String NO_CACHE = "no-cache";
  static final String OCTET_STREAM = "application/octet-stream";
  static final String CHECKPOINT_TYPE = "text/plain; charset=utf-8";
  static final String ISSUER_TYPE = "application/pkix-cert";

  private TesseraObjectMetadata() {}

  static String contentType(String path) {
    if (path.startsWith("issuer/")) {
      return ISSUER_TYPE;
    }
    return path.equals("checkpoint") ? CHECKPOINT_TYPE : OCTET_STREAM;
  }

  /** Null for issuers: Tessera sets no Cache-Control on them. */
  static String cacheControl(String path) {
    if (path.startsWith("tile/")) {
      return IMMUTABLE;
    }
    return path.startsWith("issuer/") ? null : NO_CACHE;
  }
}
