package dev.tlogmigrate.transforms.format;

import java.util.Arrays;

/**
 * A parsed entry tile as its record starts within the bytes it was read from: the first {@code
 * length} bytes, which may be a prefix of a longer resource (a full tile cut to a partial).
 */
abstract class RecordTile implements LeafTile {
  protected final byte[] data;
  protected final int[] starts;
  private final int length;

  RecordTile(byte[] data, int[] starts, int length) {
    this.data = data;
    this.starts = starts;
    this.length = length;
  }

  @Override
  public final int size() {
    return starts.length;
  }

  /** The tile's bytes: exactly its records (a copy when it was cut from a longer resource). */
  @Override
  public final byte[] bytes() {
    return length == data.length ? data : Arrays.copyOf(data, length);
  }

  @Override
  public final int byteLength() {
    return length;
  }
}
