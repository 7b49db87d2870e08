package dev.tlogmigrate.transforms.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A conditional write found the resource other than the writer expected: someone else changed it
 * since it was read (another job advancing the same destination), so nothing was written.
 */
public class PreconditionFailedException extends IOException {
  public PreconditionFailedException(String message) {
    super(message);
  }

  public PreconditionFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  /** What was expected and what was found, in one line for the error message. */
  public static String describeMismatch(byte[] expected, byte[] found) {
    return "expected "
        + (expected == null ? "no resource" : show(expected))
        + " but found "
        + (found == null ? "none" : show(found))
        + "; another writer changed it, nothing written";
  }

  private static String show(byte[] b) {
    String s =
        new String(b, 0, Math.min(b.length, 120), StandardCharsets.UTF_8)
            .replaceAll("\\p{Cntrl}", "?");
    return "'" + s + (b.length > 120 ? "...'" : "'") + " (" + b.length + " bytes)";
  }
}
