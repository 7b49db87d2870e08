package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.generate.TileLeafEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * static-ct-api data tiles built with TileLeafEncoder (Skylight's data tiles are fake, see
 * static-ct/SOURCE.txt); leaf hashes are checked against MerkleTreeLeaf bytes assembled here.
 */
class DataTileTest {
  private static final String RESOURCE = "tile/data/x001/234";
  private static final long TIME = 1767139200000L;

  /** Fingerprints of a few made-up issuers. */
  private static final List<byte[]> ISSUERS =
      List.of(sha("issuer 0"), sha("issuer 1"), sha("issuer 2"));

  /** One TileLeaf's fields; issuerKeyHash == null means an x509_entry. */
  record Leaf(
      long timestamp,
      byte[] issuerKeyHash,
      byte[] certificate,
      byte[] extensions,
      byte[] preCertificate,
      List<byte[]> chain) {
    byte[] encode() {
      return issuerKeyHash == null
          ? TileLeafEncoder.x509(timestamp, certificate, extensions, chain)
          : TileLeafEncoder.precert(
              timestamp, issuerKeyHash, certificate, extensions, preCertificate, chain);
    }

    /**
     * RFC 6962 §3.4 MerkleTreeLeaf, written out from the spec: v1, timestamped_entry,
     * TimestampedEntry.
     */
    byte[] merkleTreeLeaf() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(0); // version v1
      out.write(0); // leaf_type timestamped_entry
      out.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
      out.writeBytes(new byte[] {0, (byte) (issuerKeyHash == null ? 0 : 1)});
      if (issuerKeyHash != null) {
        out.writeBytes(issuerKeyHash);
      }
      int n = certificate.length;
      out.writeBytes(new byte[] {(byte) (n >> 16), (byte) (n >> 8), (byte) n});
      out.writeBytes(certificate);
      out.writeBytes(new byte[] {(byte) (extensions.length >> 8), (byte) extensions.length});
      out.writeBytes(extensions);
      return out.toByteArray();
    }

    byte[] leafHash() {
      var md = TestData.sha256();
      md.update((byte) 0);
      return md.digest(merkleTreeLeaf());
    }
  }

  /**
   * Records of every shape: x509 and precert, leaf_index or empty (archival) extensions, 0-3
   * issuers.
   */
  private static List<Leaf> leaves(int count, long firstIndex, long seed) {
    Random random = new Random(seed);
    List<Leaf> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long index = firstIndex + i;
      byte[] extensions = i % 7 == 3 ? new byte[0] : TileLeafEncoder.leafIndexExtension(index);
      List<byte[]> chain = new ArrayList<>();
      for (int k = 0; k < i % 4; k++) {
        chain.add(ISSUERS.get((i + k) % ISSUERS.size()));
      }
      byte[] cert = bytes(random, 1 + random.nextInt(300));
      if (i % 3 == 1) {
        out.add(
            new Leaf(
                TIME + i,
                sha("key " + i),
                cert,
                extensions,
                bytes(random, random.nextInt(400)),
                chain));
      } else {
        out.add(new Leaf(TIME + i, null, cert, extensions, null, chain));
      }
    }
    return out;
  }

  private static byte[] tile(List<Leaf> leaves) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    leaves.forEach(l -> out.writeBytes(l.encode()));
    return out.toByteArray();
  }

  private static byte[] expectedHashes(List<Leaf> leaves) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    leaves.forEach(l -> out.writeBytes(l.leafHash()));
    return out.toByteArray();
  }

  private static Map<String, Integer> expectedFingerprints(List<Leaf> leaves) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < leaves.size(); i++) {
      for (byte[] f : leaves.get(i).chain()) {
        out.putIfAbsent(TestData.hex(f), i);
      }
    }
    return out;
  }

  @Test
  void fullTile() {
    List<Leaf> leaves = leaves(256, 256 * 1234, 1);
    byte[] data = tile(leaves);
    DataTile t = DataTile.parse(data, 256, RESOURCE);
    assertEquals(256, t.size());
    assertEquals(data.length, t.byteLength());
    assertSame(data, t.bytes());
    assertArrayEquals(expectedHashes(leaves), t.leafHashes(TestData.sha256()));
    assertEquals(expectedFingerprints(leaves), t.issuerReferences());
    assertEquals(ISSUERS.size(), t.issuerReferences().size());
  }

  @Test
  void partialTile() {
    List<Leaf> leaves = leaves(44, 256, 2);
    DataTile t = DataTile.parse(tile(leaves), 44, "tile/data/001.p/44");
    assertEquals(44, t.size());
    assertArrayEquals(expectedHashes(leaves), t.leafHashes(TestData.sha256()));
  }

  /** Pinned outputs, computed with Python's hashlib from the static-ct-api layout. */
  @Test
  void knownLeafHashes() {
    byte[] ext = TileLeafEncoder.leafIndexExtension(7);
    assertArrayEquals(TestData.hex("0000050000000007"), ext);
    byte[] x509 = TileLeafEncoder.x509(TIME, TestData.utf8("cert"), ext, List.of(ISSUERS.get(0)));
    byte[] precert =
        TileLeafEncoder.precert(
            TIME,
            sha("issuer key"),
            TestData.utf8("tbs"),
            ext,
            TestData.utf8("precertificate"),
            List.of());
    assertArrayEquals(
        TestData.hex(
            "0000019b71b44c00"
                + "0000"
                + "00000463657274"
                + "00080000050000000007"
                + "0020"
                + TestData.hex(ISSUERS.get(0))),
        x509);
    DataTile t = DataTile.parse(concat(x509, precert), 2, RESOURCE);
    assertEquals(
        "6d682ed7711af58619a101d8031b941761a549e77551283fe683cfbfdf939f9c"
            + "2a30df4cf837012b968a0657a31ce8cdaa06461341f4f095ca0e958daed0f7d6",
        TestData.hex(t.leafHashes(TestData.sha256())));
  }

  @Test
  void fullTileAsPartialKeepsTheExactPrefix() {
    List<Leaf> leaves = leaves(256, 0, 3);
    byte[] data = tile(leaves);
    DataTile t = DataTile.parseFullAsPartial(data, 10, "tile/data/000.p/10");
    List<Leaf> first = leaves.subList(0, 10);
    assertEquals(10, t.size());
    assertArrayEquals(tile(first), t.bytes());
    assertEquals(tile(first).length, t.byteLength());
    assertArrayEquals(expectedHashes(first), t.leafHashes(TestData.sha256()));
    assertEquals(expectedFingerprints(first), t.issuerReferences());
  }

  @Test
  void fullTileAsPartialMustBeAValidFullTile() {
    byte[] short255 = tile(leaves(255, 0, 4));
    String msg =
        assertThrows(
                InvalidLogException.class,
                () -> DataTile.parseFullAsPartial(short255, 10, RESOURCE))
            .getMessage();
    assertEquals(RESOURCE + ": data tile ends after 255 records, want 256", msg);
    byte[] trailing = Arrays.copyOf(tile(leaves(256, 0, 4)), tile(leaves(256, 0, 4)).length + 1);
    assertThrows(
        InvalidLogException.class, () -> DataTile.parseFullAsPartial(trailing, 10, RESOURCE));
  }

  @Test
  void wrongRecordCount() {
    byte[] five = tile(leaves(5, 0, 5));
    int lastLength = leaves(5, 0, 5).get(4).encode().length;
    assertEquals(
        RESOURCE + ": data tile ends after 5 records, want 6",
        assertThrows(InvalidLogException.class, () -> DataTile.parse(five, 6, RESOURCE))
            .getMessage());
    assertEquals(
        RESOURCE + ": " + lastLength + " bytes after the 4 records of the data tile",
        assertThrows(InvalidLogException.class, () -> DataTile.parse(five, 4, RESOURCE))
            .getMessage());
  }

  @Test
  void widthOutsideOneTo256IsACallerBug() {
    byte[] one = tile(leaves(1, 0, 8));
    assertThrows(IllegalArgumentException.class, () -> DataTile.parse(one, 0, RESOURCE));
    assertThrows(IllegalArgumentException.class, () -> DataTile.parse(one, 257, RESOURCE));
    assertThrows(
        IllegalArgumentException.class, () -> DataTile.parseFullAsPartial(one, 0, RESOURCE));
  }

  @Test
  void unknownEntryType() {
    List<Leaf> leaves = leaves(5, 0, 6);
    byte[] data = tile(leaves);
    int third = tile(leaves.subList(0, 3)).length;
    data[third + 9] = 2; // entry_type low byte of record 3
    assertEquals(
        RESOURCE + ": record 3: entry_type 2 is neither x509_entry (0) nor precert_entry (1)",
        assertThrows(InvalidLogException.class, () -> DataTile.parse(data, 5, RESOURCE))
            .getMessage());
  }

  @Test
  void timestampOf2To63OrMore() {
    byte[] data = TileLeafEncoder.x509(Long.MIN_VALUE, new byte[1], new byte[0], List.of());
    assertEquals(
        RESOURCE + ": record 0: timestamp 9223372036854775808 is 2^63 or more",
        assertThrows(InvalidLogException.class, () -> DataTile.parse(data, 1, RESOURCE))
            .getMessage());
  }

  @Test
  void chainThatIsNotWholeFingerprints() {
    byte[] good = TileLeafEncoder.x509(TIME, new byte[3], new byte[0], List.of());
    byte[] data = concat(Arrays.copyOf(good, good.length - 2), new byte[] {0, 31}, new byte[31]);
    assertEquals(
        RESOURCE
            + ": record 1: certificate_chain of 31 bytes is not a list of 32-byte fingerprints",
        assertThrows(
                InvalidLogException.class, () -> DataTile.parse(concat(good, data), 2, RESOURCE))
            .getMessage());
  }

  /** Cutting the tile anywhere names the record that was cut short. */
  @Test
  void everyTruncationNamesTheRecord() {
    List<Leaf> leaves = leaves(4, 0, 7); // x509, precert, x509, archival x509
    byte[] data = tile(leaves);
    int[] ends = new int[leaves.size()];
    for (int i = 0, end = 0; i < leaves.size(); i++) {
      end += leaves.get(i).encode().length;
      ends[i] = end;
    }
    for (int cut = 0; cut < data.length; cut++) {
      byte[] prefix = Arrays.copyOf(data, cut);
      int record = 0;
      while (ends[record] <= cut) {
        record++;
      }
      String msg =
          assertThrows(InvalidLogException.class, () -> DataTile.parse(prefix, 4, RESOURCE))
              .getMessage();
      int start = record == 0 ? 0 : ends[record - 1];
      String want =
          cut == start
              ? RESOURCE + ": data tile ends after " + record + " records, want 4"
              : RESOURCE + ": record " + record + ": ";
      assertTrue(msg.startsWith(want), "cut at " + cut + ": " + msg);
    }
  }

  @Test
  void lengthPrefixBeyondTheEnd() {
    byte[] data = TileLeafEncoder.x509(TIME, new byte[3], new byte[0], List.of());
    data[12] = 4; // certificate claims 4 bytes; the rest is then misread
    assertEquals(
        RESOURCE + ": record 0: certificate_chain length needs 2 bytes at offset 19, only 1 left",
        assertThrows(InvalidLogException.class, () -> DataTile.parse(data, 1, RESOURCE))
            .getMessage());
    data[10] = 1; // certificate claims 65540 bytes
    assertEquals(
        RESOURCE + ": record 0: certificate needs 65540 bytes at offset 13, only 7 left",
        assertThrows(InvalidLogException.class, () -> DataTile.parse(data, 1, RESOURCE))
            .getMessage());
  }

  @Test
  void largeCertificateUsesTheWholeU24() {
    Leaf big =
        new Leaf(
            TIME,
            null,
            new byte[70_000],
            TileLeafEncoder.leafIndexExtension(1),
            null,
            List.of(ISSUERS.get(2)));
    DataTile t = DataTile.parse(big.encode(), 1, RESOURCE);
    assertArrayEquals(big.leafHash(), t.leafHashes(TestData.sha256()));
  }

  @Test
  void encoderRejectsWhatDoesNotFit() {
    assertThrows(
        IllegalArgumentException.class, () -> TileLeafEncoder.leafIndexExtension(1L << 40));
    assertThrows(IllegalArgumentException.class, () -> TileLeafEncoder.leafIndexExtension(-1));
    assertArrayEquals(
        TestData.hex("000005ffffffffff"), TileLeafEncoder.leafIndexExtension((1L << 40) - 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> TileLeafEncoder.x509(TIME, new byte[1], new byte[0], List.of(new byte[31])));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TileLeafEncoder.precert(
                TIME, new byte[31], new byte[1], new byte[0], new byte[1], List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> TileLeafEncoder.x509(TIME, new byte[1 << 24], new byte[0], List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> TileLeafEncoder.x509(TIME, new byte[1], new byte[1 << 16], List.of()));
  }

  @Test
  void leafIndicesMustBeTheEntriesPlaces() {
    // leaves() gives leaf_index extensions (and some empty archival ones) for entries from 1234 *
    // 256.
    DataTile tile = DataTile.parse(tile(leaves(40, 1234L * 256, 9)), 40, RESOURCE);
    tile.checkLeafIndices(1234L * 256, RESOURCE);

    String msg =
        assertThrows(InvalidLogException.class, () -> tile.checkLeafIndices(1235L * 256, RESOURCE))
            .getMessage();
    assertEquals(RESOURCE + ": record 0: leaf_index 315904 in the entry at index 316160", msg);
  }

  @Test
  void malformedExtensionsAreNamed() {
    byte[] wrongLength = {0, 0, 4, 0, 0, 0, 1}; // a leaf_index of 4 bytes
    byte[] pastTheEnd = {1, 0, 9, 0};
    for (byte[] extensions : List.of(wrongLength, pastTheEnd)) {
      Leaf leaf = new Leaf(TIME, null, new byte[] {1}, extensions, null, List.of());
      DataTile tile = DataTile.parse(leaf.encode(), 1, RESOURCE);
      String msg =
          assertThrows(InvalidLogException.class, () -> tile.checkLeafIndices(0, RESOURCE))
              .getMessage();
      assertTrue(msg.startsWith(RESOURCE + ": record 0: "), msg);
    }
  }

  private static byte[] sha(String s) {
    return TestData.sha256().digest(TestData.utf8(s));
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
