package dev.tlogmigrate.transforms.format;

import static dev.tlogmigrate.transforms.format.TestData.hex;
import static dev.tlogmigrate.transforms.format.TestData.utf8;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Entry bundles (c2sp.org/tlog-tiles): uint16 length-prefixed records, exactly W of them. */
class EntryBundleTest {
  private static final String RES = "tile/entries/x001/234.p/3";
  private static final byte[] EXAMPLE = hex("00036f6e65 000374776f 00057468726565");

  @Test
  void specExample() {
    EntryBundle b = EntryBundle.parse(EXAMPLE, 3, RES);
    assertEquals(3, b.size());
    assertEquals("one", new String(b.entry(0), UTF_8));
    assertEquals("two", new String(b.entry(1), UTF_8));
    assertEquals("three", new String(b.entry(2), UTF_8));
    assertArrayEquals(EXAMPLE, b.bytes());
    assertEquals(EXAMPLE.length, b.byteLength());
    assertArrayEquals(
        EXAMPLE, EntryBundle.encode(List.of(utf8("one"), utf8("two"), utf8("three"))));
  }

  @Test
  void matchesTesseraTestdataBundle() {
    assertArrayEquals(EXAMPLE, TestData.resource("tessera-log/tile/entries/000.p/3"));
  }

  @Test
  void lengthPrefixPastTheEnd() {
    assertInvalid(hex("0005 6f6e65"), 1);
    assertInvalid(hex("0003 6f6e65 0004 74776f"), 2);
  }

  @Test
  void missingEntry() {
    assertInvalid(EXAMPLE, 4);
  }

  @Test
  void trailingBytes() {
    assertInvalid(concat(EXAMPLE, new byte[] {0x00}), 3);
    assertInvalid(concat(EXAMPLE, new byte[] {0x41}), 3);
  }

  @Test
  void oneExtraEntry() {
    assertInvalid(concat(EXAMPLE, hex("0001 78")), 3);
    assertInvalid(concat(EXAMPLE, hex("0000")), 3); // an extra empty entry is still an entry
  }

  @Test
  void emptyAndOddInput() {
    assertInvalid(new byte[0], 1);
    assertInvalid(new byte[] {0x00}, 1);
    assertInvalid(hex("000141 00"), 2); // half a length prefix
  }

  @Test
  void zeroLengthEntries() {
    byte[] data = EntryBundle.encode(List.of(new byte[0], utf8("a"), new byte[0]));
    assertArrayEquals(hex("0000 000161 0000"), data);
    EntryBundle b = EntryBundle.parse(data, 3, RES);
    assertEquals(0, b.entry(0).length);
    assertEquals("a", new String(b.entry(1), UTF_8));
    assertEquals(0, b.entry(2).length);
    assertArrayEquals(
        Rfc6962.leafHash(new byte[0]), Arrays.copyOf(b.leafHashes(Rfc6962.sha256()), 32));
  }

  @Test
  void maximumEntrySize() {
    byte[] big = new byte[65535];
    new Random(1).nextBytes(big);
    byte[] data = EntryBundle.encode(List.of(big, utf8("x")));
    assertEquals((byte) 0xff, data[0]);
    assertEquals((byte) 0xff, data[1]);
    EntryBundle b = EntryBundle.parse(data, 2, RES);
    assertArrayEquals(big, b.entry(0));
    assertEquals("x", new String(b.entry(1), UTF_8));
    assertThrows(
        IllegalArgumentException.class, () -> EntryBundle.encode(List.of(new byte[65536])));
  }

  @Test
  void leafHashesAreThePerEntryLeafHashes() {
    List<byte[]> entries = randomEntries(new Random(3), 256);
    EntryBundle b = EntryBundle.parse(EntryBundle.encode(entries), 256, RES);
    byte[] tile = b.leafHashes(Rfc6962.sha256());
    assertEquals(256 * 32, tile.length);
    for (int i = 0; i < 256; i++) {
      assertArrayEquals(
          Rfc6962.leafHash(entries.get(i)),
          Arrays.copyOfRange(tile, i * 32, i * 32 + 32),
          "entry " + i);
    }
  }

  // A full bundle fetched in place of a missing .p/W: it must be a valid full bundle, and only its
  // first W records are kept, byte for byte (a bundle with more records than its width is not
  // refused by Go's readers).
  @Test
  void parseFullAsPartial() {
    List<byte[]> entries = randomEntries(new Random(4), 256);
    byte[] full = EntryBundle.encode(entries);
    for (int w : new int[] {1, 3, 112, 255, 256}) {
      EntryBundle b = EntryBundle.parseFullAsPartial(full, w, RES);
      byte[] prefix = EntryBundle.encode(entries.subList(0, w));
      assertEquals(w, b.size());
      assertArrayEquals(prefix, b.bytes(), "width " + w);
      assertEquals(prefix.length, b.byteLength());
      assertArrayEquals(
          EntryBundle.parse(prefix, w, RES).leafHashes(Rfc6962.sha256()),
          b.leafHashes(Rfc6962.sha256()));
      assertArrayEquals(entries.get(w - 1), b.entry(w - 1));
    }
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> EntryBundle.parseFullAsPartial(full, 3, RES).entry(3));
  }

  @Test
  void parseFullAsPartialRequiresAFullBundle() {
    List<byte[]> entries = randomEntries(new Random(5), 257);
    assertInvalidFull(EntryBundle.encode(entries.subList(0, 255)));
    assertInvalidFull(EntryBundle.encode(entries)); // 257 records
    assertInvalidFull(concat(EntryBundle.encode(entries.subList(0, 256)), new byte[] {7}));
    assertInvalidFull(EXAMPLE); // the partial itself
  }

  @Test
  void roundTrip() {
    Random r = new Random(6);
    for (int n = 1; n <= 256; n += 17) {
      List<byte[]> entries = randomEntries(r, n);
      byte[] data = EntryBundle.encode(entries);
      EntryBundle b = EntryBundle.parse(data, n, RES);
      assertArrayEquals(data, b.bytes());
      for (int i = 0; i < n; i++) {
        assertArrayEquals(entries.get(i), b.entry(i));
      }
    }
  }

  private static void assertInvalid(byte[] data, int width) {
    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> EntryBundle.parse(data, width, RES));
    assertTrue(e.getMessage().contains(RES), e.getMessage());
  }

  private static void assertInvalidFull(byte[] data) {
    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> EntryBundle.parseFullAsPartial(data, 3, RES));
    assertTrue(e.getMessage().contains(RES), e.getMessage());
  }

  private static List<byte[]> randomEntries(Random r, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] e = new byte[r.nextInt(5) == 0 ? 0 : r.nextInt(300)];
      r.nextBytes(e);
      out.add(e);
    }
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
