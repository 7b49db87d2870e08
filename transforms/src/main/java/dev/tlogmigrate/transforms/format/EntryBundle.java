package dev.tlogmigrate.transforms.format;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A tlog-tiles entry bundle: exactly {@code width} records of {@code uint16 big-endian length ||
 * entry}, with nothing before, between or after them.
 */
public final class EntryBundle extends RecordTile {
  public static final int MAX_ENTRY_SIZE = 0xffff;

  /** Upper bound of a valid bundle's size: 256 entries of 65535 bytes with their prefixes. */
  public static final int MAX_BYTES = Tiles.WIDTH * (2 + MAX_ENTRY_SIZE);

  private EntryBundle(byte[] data, int[] starts, int length) {
    super(data, starts, length);
  }

  /**
   * Parses the first {@code count} records. With {@code exact}, the data must hold exactly that
   * many; otherwise later bytes are ignored (a full bundle read in place of a missing partial must
   * still parse as a full bundle first, see {@link #parseFullAsPartial}).
   */
  private static EntryBundle parse(byte[] data, int count, boolean exact, String resource) {
    int[] offsets = new int[count];
    int pos = 0;
    for (int i = 0; i < count; i++) {
      if (pos + 2 > data.length) {
        throw new InvalidLogException(
            resource + ": bundle ends after " + i + " entries, want " + count);
      }
      int len = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
      if (pos + 2 + len > data.length) {
        throw new InvalidLogException(
            resource
                + ": entry "
                + i
                + " claims "
                + len
                + " bytes, only "
                + (data.length - pos - 2)
                + " left");
      }
      offsets[i] = pos + 2;
      pos += 2 + len;
    }
    if (exact && pos != data.length) {
      throw new InvalidLogException(
          resource
              + ": "
              + (data.length - pos)
              + " bytes after the "
              + count
              + " entries of the bundle");
    }
    return new EntryBundle(data, offsets, pos);
  }

  /** Parses a bundle that must hold exactly {@code width} entries. */
  public static EntryBundle parse(byte[] data, int width, String resource) {
    return parse(data, width, true, resource);
  }

  /** Parses a full bundle (exactly 256 entries) and keeps only its first {@code width}. */
  public static EntryBundle parseFullAsPartial(byte[] data, int width, String resource) {
    parse(data, Tiles.WIDTH, true, resource);
    return parse(data, width, false, resource);
  }

  public byte[] entry(int i) {
    int start = starts[i];
    return Arrays.copyOfRange(data, start, start + entryLength(i));
  }

  private int entryLength(int i) {
    return ((data[starts[i] - 2] & 0xff) << 8) | (data[starts[i] - 1] & 0xff);
  }

  /** The level-0 hash tile of this bundle: the leaf hash of every entry, concatenated. */
  @Override
  public byte[] leafHashes(MessageDigest md) {
    byte[] out = new byte[size() * Tiles.HASH_SIZE];
    for (int i = 0; i < size(); i++) {
      Rfc6962.leafHash(md, data, starts[i], entryLength(i), out, i * Tiles.HASH_SIZE);
    }
    return out;
  }

  /**
   * Tessera's default entry identity: SHA-256 of the entry's bytes (Tessera v1.0.4, {@code
   * identityHash} in lifecycle.go, which {@code NewEntry} and the follower's {@code
   * defaultIDHasher} both use). Not the Merkle leaf hash: no 0x00 prefix.
   */
  @Override
  public byte[] identities(MessageDigest md) {
    byte[] out = new byte[size() * Tiles.HASH_SIZE];
    for (int i = 0; i < size(); i++) {
      EntryIdentities.put(md, data, starts[i], entryLength(i), out, i);
    }
    return out;
  }

  /** tlog-tiles entries are opaque: they say nothing about their index. */
  @Override
  public void checkLeafIndices(long firstIndex, String resource) {}

  /** tlog-tiles entries reference nothing outside the log. */
  @Override
  public Map<String, Integer> issuerReferences() {
    return Map.of();
  }

  public static byte[] encode(List<byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] e : entries) {
      if (e.length > MAX_ENTRY_SIZE) {
        throw new IllegalArgumentException("entry of " + e.length + " bytes exceeds 65535");
      }
      out.write(e.length >>> 8);
      out.write(e.length);
      out.writeBytes(e);
    }
    return out.toByteArray();
  }
}
