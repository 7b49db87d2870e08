package dev.tlogmigrate.transforms.storage.bucket;

/**
 * The object names of a log in a bucket (GCS, S3): a prefix of plain segments, then a tlog-tiles
 * path. Refuses empty, "." and ".." segments, which would name another log's objects or none.
 */
final class ObjectKeys {
  private ObjectKeys() {}

  /** {@code prefix} as "" or as segments ending with '/'; refused as a part of {@code location}. */
  static String normalisePrefix(String prefix, String location) {
    if (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    if (prefix.isEmpty()) {
      return "";
    }
    for (String segment : prefix.split("/", -1)) {
      if (badSegment(segment) || segment.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException("bad object prefix '" + prefix + "' in " + location);
      }
    }
    return prefix + "/";
  }

  /** The object name of a log path under a normalised prefix. */
  static String name(String prefix, String path) {
    if (path.isEmpty() || path.startsWith("/")) {
      throw new IllegalArgumentException("not a log path: " + path);
    }
    for (String segment : path.split("/", -1)) {
      if (badSegment(segment)) {
        throw new IllegalArgumentException("not a log path: " + path);
      }
    }
    return prefix + path;
  }

  private static boolean badSegment(String segment) {
    return segment.isEmpty() || segment.equals(".") || segment.equals("..");
  }
}
