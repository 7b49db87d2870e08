package dev.tlogmigrate.transforms.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The body of a checkpoint (c2sp.org/tlog-checkpoint): origin, decimal tree size, base64 root, and
 * optional extension lines.
 */
public record Checkpoint(String origin, long size, byte[] root, List<String> extensions) {
  public Checkpoint {
    root = root.clone();
    extensions = List.copyOf(extensions);
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  public String rootBase64() {
    return Base64.getEncoder().encodeToString(root);
  }

  /** The text a log signs: origin, size and root, one per line. */
  public static String text(String origin, long size, byte[] root) {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
  }

  public static Checkpoint parse(String resource, byte[] text) {
    String s = new String(text, StandardCharsets.UTF_8);
    if (!s.endsWith("\n")) {
      throw new InvalidLogException(resource + ": checkpoint text does not end with a newline");
    }
    String[] lines = s.substring(0, s.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw new InvalidLogException(
          resource + ": checkpoint has " + lines.length + " lines, want at least 3");
    }
    for (String line : lines) {
      if (line.isEmpty()) {
        throw new InvalidLogException(resource + ": checkpoint has an empty line");
      }
    }
    long size = parseSize(resource, lines[1]);
    byte[] root;
    try {
      root = SignedNote.decodePaddedBase64(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new InvalidLogException(
          resource + ": checkpoint root is not base64: " + Excerpt.of(lines[2]));
    }
    if (root.length != Tiles.HASH_SIZE) {
      throw new InvalidLogException(
          resource + ": checkpoint root has " + root.length + " bytes, want 32");
    }
    return new Checkpoint(lines[0], size, root, Arrays.asList(lines).subList(3, lines.length));
  }

  /** Decimal, no sign, no leading zeros, and small enough for the tile maths (below 2^63). */
  private static long parseSize(String resource, String line) {
    if (!line.matches("0|[1-9][0-9]*")) {
      throw new InvalidLogException(
          resource + ": checkpoint size is not a canonical decimal: " + Excerpt.of(line));
    }
    try {
      return Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw new InvalidLogException(
          resource + ": checkpoint size " + Excerpt.of(line) + " is 2^63 or more");
    }
  }
}
