package dev.tlogmigrate.launcher.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where things sit in a data tile's first TileLeaf record, for tests that alter them. */
public final class TileLeafBytes {
  private TileLeafBytes() {}

  /** Offset of the last byte of record 0's uint40 leaf_index. */
  public static int leafIndexLastByte(byte[] tile) {
    // timestamp (8), entry_type (2), then the certificate or the precert's key hash and TBS, then
    // extensions: 00 08 | 00 00 05 <uint40 leaf_index>.
    int pos = 10;
    if (tile[9] == 1) {
      pos += 32;
    }
    pos +=
        3 + (((tile[pos] & 0xff) << 16) | ((tile[pos + 1] & 0xff) << 8) | (tile[pos + 2] & 0xff));
    assertEquals(8, tile[pos + 1], "a leaf_index extension");
    return pos + 9;
  }
}
