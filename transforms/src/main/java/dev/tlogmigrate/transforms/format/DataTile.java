package dev.tlogmigrate.transforms.format;

import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A static-ct-api data tile: exactly {@code width} self-delimiting TileLeaf records with nothing
 * before, between or after them. Each record is a TimestampedEntry (timestamp, entry_type,
 * certificate or issuer_key_hash + tbs_certificate, extensions), then for precerts the
 * pre_certificate, then the SHA-256 fingerprints of the submitted chain.
 */
public final class DataTile extends RecordTile {
  public static final int X509_ENTRY = 0;
  public static final int PRECERT_ENTRY = 1;
  static final int LEAF_INDEX_EXTENSION = 0;

  /** MerkleTreeLeaf header before the TimestampedEntry: version v1, leaf_type timestamped_entry. */
  private static final byte[] MERKLE_LEAF_HEADER = {0, 0};

  private static final HexFormat HEX = HexFormat.of();

  /** Where each record's TimestampedEntry ends: what the Merkle leaf hash covers. */
  private final int[] entryEnds;

  /** Where each record's CtExtensions start (they end at the entry's end). */
  private final int[] extensionStarts;

  /**
   * Where each record's identity bytes start and how long they are: the certificate of an
   * x509_entry, the pre_certificate of a precert_entry.
   */
  private final int[] identityStarts;

  private final int[] identityLengths;

  private final Map<String, Integer> fingerprints;

  private DataTile(
      byte[] data,
      int[] starts,
      int[] entryEnds,
      int[] extensionStarts,
      int[] identityStarts,
      int[] identityLengths,
      int length,
      Map<String, Integer> fingerprints) {
    super(data, starts, length);
    this.entryEnds = entryEnds;
    this.extensionStarts = extensionStarts;
    this.identityStarts = identityStarts;
    this.identityLengths = identityLengths;
    this.fingerprints = Collections.unmodifiableMap(fingerprints);
  }

  /** Parses a data tile that must hold exactly {@code width} records. */
  public static DataTile parse(byte[] data, int width, String resource) {
    return parse(data, width, true, resource);
  }

  /** Parses a full data tile (exactly 256 records) and keeps only its first {@code width}. */
  public static DataTile parseFullAsPartial(byte[] data, int width, String resource) {
    DataTile partial = parse(data, width, false, resource);
    parse(data, Tiles.WIDTH, true, resource);
    return partial;
  }

  /** Parses the first {@code count} records; with {@code exact}, nothing may follow them. */
  private static DataTile parse(byte[] data, int count, boolean exact, String resource) {
    if (count < 1 || count > Tiles.WIDTH) {
      throw new IllegalArgumentException("data tile width " + count + " is not between 1 and 256");
    }
    int[] starts = new int[count];
    int[] entryEnds = new int[count];
    int[] extensionStarts = new int[count];
    int[] identityStarts = new int[count];
    int[] identityLengths = new int[count];
    Map<String, Integer> fingerprints = new LinkedHashMap<>();
    Reader r = new Reader(data, resource);
    for (int i = 0; i < count; i++) {
      if (r.pos == data.length) {
        throw new InvalidLogException(
            resource + ": data tile ends after " + i + " records, want " + count);
      }
      r.record = i;
      starts[i] = r.pos;
      long timestamp = r.uint(8, "timestamp");
      if (timestamp < 0) {
        throw r.invalid("timestamp " + Long.toUnsignedString(timestamp) + " is 2^63 or more");
      }
      int type = (int) r.uint(2, "entry_type");
      if (type == X509_ENTRY) {
        identityLengths[i] = (int) r.uint(3, "certificate length");
        identityStarts[i] = r.pos;
        r.skip(identityLengths[i], "certificate");
      } else if (type == PRECERT_ENTRY) {
        r.skip(Tiles.HASH_SIZE, "issuer_key_hash");
        r.skip(r.uint(3, "tbs_certificate length"), "tbs_certificate");
      } else {
        throw r.invalid("entry_type " + type + " is neither x509_entry (0) nor precert_entry (1)");
      }
      long extensions = r.uint(2, "extensions length");
      extensionStarts[i] = r.pos;
      r.skip(extensions, "extensions");
      entryEnds[i] = r.pos;
      if (type == PRECERT_ENTRY) {
        identityLengths[i] = (int) r.uint(3, "pre_certificate length");
        identityStarts[i] = r.pos;
        r.skip(identityLengths[i], "pre_certificate");
      }
      long chain = r.uint(2, "certificate_chain length");
      if (chain % Tiles.HASH_SIZE != 0) {
        throw r.invalid(
            "certificate_chain of " + chain + " bytes is not a list of 32-byte fingerprints");
      }
      int chainStart = r.pos;
      r.skip(chain, "certificate_chain");
      for (int f = chainStart; f < r.pos; f += Tiles.HASH_SIZE) {
        fingerprints.putIfAbsent(HEX.formatHex(data, f, f + Tiles.HASH_SIZE), i);
      }
    }
    if (exact && r.pos != data.length) {
      throw new InvalidLogException(
          resource
              + ": "
              + (data.length - r.pos)
              + " bytes after the "
              + count
              + " records of the data tile");
    }
    return new DataTile(
        data,
        starts,
        entryEnds,
        extensionStarts,
        identityStarts,
        identityLengths,
        r.pos,
        fingerprints);
  }

  /**
   * static-ct-api entries carry their own index in a leaf_index extension (type 0, a uint40): where
   * one is present it must be the entry's place in the log. Archived RFC 6962 entries have no
   * extensions and pass.
   *
   * @param firstIndex the log index of this tile's first entry
   */
  @Override
  public void checkLeafIndices(long firstIndex, String resource) {
    Reader r = new Reader(data, resource);
    for (int i = 0; i < size(); i++) {
      r.record = i;
      r.pos = extensionStarts[i];
      while (r.pos < entryEnds[i]) {
        int type = (int) r.uint(1, "extension_type");
        long length = r.uint(2, "extension length");
        if (length > entryEnds[i] - r.pos) {
          throw r.invalid("extension of " + length + " bytes runs past the extensions");
        }
        if (type != LEAF_INDEX_EXTENSION) {
          r.skip(length, "extension_data");
          continue;
        }
        if (length != 5) {
          throw r.invalid("leaf_index extension of " + length + " bytes, want 5");
        }
        long leafIndex = r.uint(5, "leaf_index");
        if (leafIndex != firstIndex + i) {
          throw r.invalid("leaf_index " + leafIndex + " in the entry at index " + (firstIndex + i));
        }
      }
    }
  }

  /**
   * The level-0 hash tile: per record SHA-256(0x00 || MerkleTreeLeaf), MerkleTreeLeaf = 0x00 0x00
   * || TimestampedEntry. The pre_certificate and the chain are not hashed.
   */
  @Override
  public byte[] leafHashes(MessageDigest md) {
    byte[] out = new byte[size() * Tiles.HASH_SIZE];
    for (int i = 0; i < size(); i++) {
      // leafHash adds its 0x00 prefix after the header fed here; all three bytes are zero, so the
      // preimage is the same 00 00 00 || TimestampedEntry.
      md.update(MERKLE_LEAF_HEADER);
      Rfc6962.leafHash(md, data, starts[i], entryEnds[i] - starts[i], out, i * Tiles.HASH_SIZE);
    }
    return out;
  }

  /**
   * TesseraCT's entry identity: SHA-256 of the submitted leaf, that is of the certificate of an
   * x509_entry and of the whole pre_certificate (poison extension and signature included) of a
   * precert_entry, not of the tbs_certificate that the Merkle leaf commits to (Tessera v1.0.1,
   * {@code ctonly.Entry.Identity} and the follower's {@code ctBundleIDHasher}, which TesseraCT
   * v0.1.1 uses).
   */
  @Override
  public byte[] identities(MessageDigest md) {
    byte[] out = new byte[size() * Tiles.HASH_SIZE];
    for (int i = 0; i < size(); i++) {
      EntryIdentities.put(md, data, identityStarts[i], identityLengths[i], out, i);
    }
    return out;
  }

  /** The fingerprints in the records' certificate chains. */
  @Override
  public Map<String, Integer> issuerReferences() {
    return fingerprints;
  }

  /** Reads big-endian fields of one record, failing with the resource, record and field. */
  private static final class Reader {
    private final byte[] data;
    private final String resource;
    int pos;
    int record;

    Reader(byte[] data, String resource) {
      this.data = data;
      this.resource = resource;
    }

    long uint(int bytes, String field) {
      need(bytes, field);
      long v = 0;
      for (int i = 0; i < bytes; i++) {
        v = (v << 8) | (data[pos++] & 0xff);
      }
      return v;
    }

    void skip(long bytes, String field) {
      need(bytes, field);
      pos += (int) bytes;
    }

    private void need(long bytes, String field) {
      if (bytes > data.length - pos) {
        throw invalid(
            field
                + " needs "
                + bytes
                + " bytes at offset "
                + pos
                + ", only "
                + (data.length - pos)
                + " left");
      }
    }

    InvalidLogException invalid(String problem) {
      return new InvalidLogException(resource + ": record " + record + ": " + problem);
    }
  }
}
