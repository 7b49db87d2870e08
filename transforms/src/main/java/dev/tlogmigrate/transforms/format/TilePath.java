package dev.tlogmigrate.transforms.format;

import com.google.auto.value.AutoValue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource of a tiled log: a hash tile {@code tile/<L>/<N>[.p/<W>]}, an entry bundle {@code
 * tile/entries/<N>[.p/<W>]} or a static-ct-api data tile {@code tile/data/<N>[.p/<W>]}. Width 256
 * means a full resource, which never carries a {@code .p/}.
 */
@AutoValue
public abstract class TilePath {
  /** Level value used for entry bundles. */
  public static final int ENTRIES = -1;

  /** Level value used for static-ct-api data tiles. */
  public static final int DATA = -2;

  private static final Pattern PATH =
      Pattern.compile(
          "tile/(entries|data|0|[1-9][0-9]?)/((?:x[0-9]{3}/)*[0-9]{3})(?:\\.p/([1-9][0-9]{0,2}))?");

  public abstract int level();

  public abstract long index();

  public abstract int width();

  public static TilePath hashTile(int level, long index, int width) {
    if (level < 0 || level > Tiles.MAX_LEVEL) {
      throw new IllegalArgumentException("tile level out of range: " + level);
    }
    return create(level, index, width);
  }

  public static TilePath entryBundle(long index, int width) {
    return create(ENTRIES, index, width);
  }

  public static TilePath dataTile(long index, int width) {
    return create(DATA, index, width);
  }

  private static TilePath create(int level, long index, int width) {
    if (index < 0 || width < 1 || width > Tiles.WIDTH) {
      throw new IllegalArgumentException(
          "bad tile coordinates: index " + index + " width " + width);
    }
    return new AutoValue_TilePath(level, index, width);
  }

  public boolean isEntryBundle() {
    return level() == ENTRIES;
  }

  public boolean isFull() {
    return width() == Tiles.WIDTH;
  }

  /** The same coordinates, full width: where a missing partial falls back to. */
  public TilePath full() {
    return create(level(), index(), Tiles.WIDTH);
  }

  public String path() {
    String dir =
        level() == ENTRIES ? "entries" : level() == DATA ? "data" : Integer.toString(level());
    String base = "tile/" + dir + "/" + encodeIndex(index());
    return isFull() ? base : base + ".p/" + width();
  }

  @Override
  public final String toString() {
    return path();
  }

  /** Parses a canonical path; anything that does not round-trip is rejected. */
  public static TilePath parse(String path) {
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a tile path: " + path);
    }
    int level =
        switch (m.group(1)) {
          case "entries" -> ENTRIES;
          case "data" -> DATA;
          default -> Integer.parseInt(m.group(1));
        };
    if (level > Tiles.MAX_LEVEL) {
      throw new IllegalArgumentException("tile level out of range: " + path);
    }
    long index = decodeIndex(m.group(2), path);
    int width = m.group(3) == null ? Tiles.WIDTH : Integer.parseInt(m.group(3));
    if (m.group(3) != null && width >= Tiles.WIDTH) {
      throw new IllegalArgumentException("partial width out of range: " + path);
    }
    TilePath parsed = create(level, index, width);
    if (!parsed.path().equals(path)) {
      throw new IllegalArgumentException("not a canonical tile path: " + path);
    }
    return parsed;
  }

  /**
   * N in groups of three digits, every group but the last prefixed with x: 1234067 is
   * x001/x234/067.
   */
  public static String encodeIndex(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative tile index " + n);
    }
    // By hand, not String.format: this runs twice per bundle, and Formatter was a tenth of the
    // JIT compiler's time in a migration.
    StringBuilder sb = new StringBuilder(24);
    appendGroups(sb, n / 1000);
    return appendThreeDigits(sb, n % 1000).toString();
  }

  private static void appendGroups(StringBuilder sb, long n) {
    if (n > 0) {
      appendGroups(sb, n / 1000);
      appendThreeDigits(sb.append('x'), n % 1000).append('/');
    }
  }

  private static StringBuilder appendThreeDigits(StringBuilder sb, long n) {
    return sb.append((char) ('0' + n / 100))
        .append((char) ('0' + n / 10 % 10))
        .append((char) ('0' + n % 10));
  }

  private static long decodeIndex(String encoded, String path) {
    long n = 0;
    for (String group : encoded.split("/")) {
      int digits = Integer.parseInt(group.startsWith("x") ? group.substring(1) : group);
      if (n > (Long.MAX_VALUE - digits) / 1000) {
        throw new IllegalArgumentException("tile index overflows: " + path);
      }
      n = n * 1000 + digits;
    }
    return n;
  }
}
