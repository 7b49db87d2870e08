package dev.tlogmigrate.transforms.format;

import static dev.tlogmigrate.transforms.format.TestData.hex;
import static dev.tlogmigrate.transforms.format.TestData.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6962 hashing against worked values from Tessera's test data. */
class Rfc6962Test {
  private final MessageDigest md = Rfc6962.sha256();

  @Test
  void leafHashes() {
    assertEquals("d0d7360ab79f58ab1e1e3fe64ad77e2ea0bc07e36b5f46ed2223edd9298df9e9", hex(leaf(0)));
    assertEquals("ab1ab7f07c7c8fe0eff4ba6faa53c7e4412e91a599153e8aa4e01beece5b7825", hex(leaf(1)));
    assertEquals("671f146c5e471e8a1a83a3c214ce4ba907b8f3a5888d14cc8cd3ce75bb12ef94", hex(leaf(2)));
    assertEquals("3786dc18e75f450d499f119c1eaee20dd8293f21fc9d08714a18d72b1cd60eb5", hex(leaf(14)));
  }

  @Test
  void leafHashIntoBufferAtOffsets() {
    byte[] data = utf8("xxtwoyy");
    byte[] out = new byte[40];
    Rfc6962.leafHash(md, data, 2, 3, out, 8);
    assertArrayEquals(leaf(1), Arrays.copyOfRange(out, 8, 40));
    assertThrows(
        IllegalArgumentException.class, () -> Rfc6962.leafHash(md, data, 0, 1, new byte[31], 0));
  }

  @Test
  void rootOfSize3() {
    byte[] n01 = Rfc6962.nodeHash(md, leaf(0), leaf(1));
    assertEquals("4f55f619d9215235778b2b9f17d6f4915b16171214d152381293669764de722e", hex(n01));
    byte[] root = Rfc6962.nodeHash(md, n01, leaf(2));
    assertEquals("Wqx3HImawpLnS/Gv4ubjAvi1WIOy0b8Ze0amvqbavKk=", b64(root));
    // The split of 3 is 2+1, not 1+2.
    assertArrayEquals(root, Rfc6962.subtreeRoot(md, leaves(3), 0, 3));
  }

  // 15 = 8+4+2+1: four perfect subtrees folded from the right.
  @Test
  void rootOfSize15() {
    byte[] hashes = leaves(15);
    byte[] a = Rfc6962.subtreeRoot(md, hashes, 0, 8);
    byte[] b = Rfc6962.subtreeRoot(md, hashes, 8, 4);
    byte[] c = Rfc6962.subtreeRoot(md, hashes, 12, 2);
    byte[] d = Rfc6962.subtreeRoot(md, hashes, 14, 1);
    assertEquals("6c2f95c2fac96da94d5637e4748f24520b3b989a17aea897084edb8270f6f296", hex(a));
    assertEquals("ddc1510adc875710144ee805c91828df479f6e5f815717534032068391fad520", hex(b));
    assertEquals("1a252d54fd17848699fdf97b45e30b830fbd614b63140b7c91a4dd7ce7b6bbf2", hex(c));
    assertArrayEquals(leaf(14), d);
    String want = "rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=";
    assertEquals(want, b64(Rfc6962.foldFromRight(md, List.of(a, b, c, d))));
    assertEquals(
        want, b64(Rfc6962.nodeHash(md, a, Rfc6962.nodeHash(md, b, Rfc6962.nodeHash(md, c, d)))));
    assertEquals(want, b64(Rfc6962.subtreeRoot(md, hashes, 0, 15)));
  }

  @Test
  void emptyRootIsSha256OfNothing() {
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        hex(Rfc6962.emptyRoot()));
    assertEquals("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", b64(Rfc6962.emptyRoot()));
    byte[] folded = Rfc6962.foldFromRight(md, List.of());
    assertArrayEquals(Rfc6962.emptyRoot(), folded);
    assertArrayEquals(Rfc6962.emptyRoot(), TreeEdge.empty().root());
    folded[0] ^= 1; // a caller's copy is its own
    assertEquals(
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", b64(Rfc6962.foldFromRight(md, List.of())));
  }

  @Test
  void subtreeRootRejectsEmpty() {
    assertThrows(IllegalArgumentException.class, () -> Rfc6962.subtreeRoot(md, new byte[0], 0, 0));
  }

  @Test
  void singleRootFoldsToItself() {
    assertArrayEquals(leaf(0), Rfc6962.foldFromRight(md, List.of(leaf(0))));
  }

  private static byte[] leaf(int i) {
    return Rfc6962.leafHash(utf8(TestData.TESSERA_ENTRIES.get(i)));
  }

  private static byte[] leaves(int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      out.writeBytes(leaf(i));
    }
    return out.toByteArray();
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
