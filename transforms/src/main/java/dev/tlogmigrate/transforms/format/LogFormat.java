package dev.tlogmigrate.transforms.format;

/**
 * Where a log keeps its entries and how they are parsed and hashed: tlog-tiles or static-ct-api.
 */
public enum LogFormat {
  /** c2sp.org/tlog-tiles: length-prefixed entries in {@code tile/entries/}. */
  TLOG_TILES("tlog-tiles", EntryBundle.MAX_BYTES) {
    @Override
    public TilePath tilePath(long index, int width) {
      return TilePath.entryBundle(index, width);
    }

    @Override
    public LeafTile parse(byte[] data, int width, boolean fullAsPartial, String resource) {
      return fullAsPartial
          ? EntryBundle.parseFullAsPartial(data, width, resource)
          : EntryBundle.parse(data, width, resource);
    }
  },

  /** c2sp.org/static-ct-api: TileLeaf records in {@code tile/data/}, maybe gzipped at rest. */
  STATIC_CT("static-ct", 64 << 20) {
    @Override
    public TilePath tilePath(long index, int width) {
      return TilePath.dataTile(index, width);
    }

    @Override
    public LeafTile parse(byte[] data, int width, boolean fullAsPartial, String resource) {
      return fullAsPartial
          ? DataTile.parseFullAsPartial(data, width, resource)
          : DataTile.parse(data, width, resource);
    }

    /**
     * Sunlight stores data tiles gzipped. Sniffing is safe here, unlike for tlog-tiles bundles: a
     * TileLeaf starts with a millisecond timestamp, and one whose top bytes were 1f 8b would lie
     * some seventy million years ahead.
     */
    @Override
    public boolean isGzipped(byte[] data) {
      return data.length >= 2 && data[0] == (byte) 0x1f && data[1] == (byte) 0x8b;
    }
  };

  private final String flag;
  private final int maxTileBytes;

  LogFormat(String flag, int maxTileBytes) {
    this.flag = flag;
    this.maxTileBytes = maxTileBytes;
  }

  /** The path of entry tile {@code index} of the given width. */
  public abstract TilePath tilePath(long index, int width);

  /**
   * Whether an entry tile is stored gzipped, to be inflated (within {@link #maxTileBytes()}) before
   * it is {@link #parse parsed}.
   */
  public boolean isGzipped(byte[] data) {
    return false;
  }

  /**
   * Parses an entry tile of {@code width} entries, as stored but inflated; with {@code
   * fullAsPartial}, data is the full tile read in place of a missing partial, and only its first
   * {@code width} entries are kept.
   */
  public abstract LeafTile parse(byte[] data, int width, boolean fullAsPartial, String resource);

  /** The most bytes a valid entry tile can have: a larger response is refused unread. */
  public int maxTileBytes() {
    return maxTileBytes;
  }

  /** The name used on the command line. */
  public String flag() {
    return flag;
  }

  public static LogFormat fromFlag(String flag) {
    for (LogFormat f : values()) {
      if (f.flag.equals(flag)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown log format '" + flag + "' (want tlog-tiles or static-ct)");
  }
}
