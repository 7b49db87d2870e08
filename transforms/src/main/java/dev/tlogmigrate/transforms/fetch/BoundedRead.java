package dev.tlogmigrate.transforms.fetch;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads a stream whole, but never more than a valid resource can hold: hostile input is cut off.
 */
public final class BoundedRead {
  private BoundedRead() {}

  /**
   * The stream's bytes; an {@link InvalidLogException} with {@code tooLarge} past {@code maxBytes}.
   * Past {@link LargeReads#SMALL_BYTES} the read waits for its task's admission.
   *
   * @param resource what is read, for the message if that wait is interrupted
   */
  public static byte[] readAtMost(InputStream in, int maxBytes, String resource, String tooLarge)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 1 << 16));
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) >= 0; ) {
      if (out.size() + n > maxBytes) {
        throw new InvalidLogException(tooLarge);
      }
      if (out.size() + n > LargeReads.SMALL_BYTES) {
        LargeReads.admit(resource);
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * The next {@code length} bytes of the stream, a length the caller has checked against its limit
   * (an HTTP response's Content-Length), read straight into one array of that size; fewer if the
   * stream ends first, which the caller must see as a truncated read. Past {@link
   * LargeReads#SMALL_BYTES} the read waits for its task's admission.
   *
   * @param resource what is read, for the message if that wait is interrupted
   */
  public static byte[] readDeclared(InputStream in, int length, String resource)
      throws IOException {
    if (length > LargeReads.SMALL_BYTES) {
      LargeReads.admit(resource);
    }
    byte[] data = new byte[length];
    int n = in.readNBytes(data, 0, length);
    return n == length ? data : Arrays.copyOf(data, n);
  }

  /**
   * The inflated bytes of a gzipped entry tile, at most {@code maxBytes}; a corrupt or too large
   * one is an {@link InvalidLogException} naming {@code resource}.
   */
  public static byte[] gunzip(byte[] data, int maxBytes, String resource) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return readAtMost(
          in,
          maxBytes,
          resource,
          resource + ": gzipped data tile inflates past " + maxBytes + " bytes");
    } catch (IOException e) {
      throw new InvalidLogException(resource + ": corrupt gzip data tile: " + e.getMessage());
    }
  }
}
