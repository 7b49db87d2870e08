package dev.tlogmigrate.transforms.format;

import static dev.tlogmigrate.transforms.format.TestData.resource;
import static dev.tlogmigrate.transforms.format.TestData.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.generate.NoteSigner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tessera's testdata log (src/test/resources/tessera-log, see its SOURCE.txt): 15 entries, a signed
 * checkpoint for every size 0..15, the partial tiles and bundles, and Tessera's .state files.
 */
class TesseraLogTest {
  static final String VKEY =
      "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";
  static final String SKEY =
      "PRIVATE+KEY+example.com/log/testdata+33d7b496+AeymY/SZAX0jZcJ8enZ5FY1Dz+wTML2yWSkK+9DSF3eg";
  static final String ORIGIN = "example.com/log/testdata";

  private final CheckpointVerifier verifier =
      new CheckpointVerifier(List.of(VerifierKeys.parse(VKEY)));
  private final EntryBundle bundle15 =
      EntryBundle.parse(resource("tessera-log/tile/entries/000.p/15"), 15, "tile/entries/000.p/15");

  @Test
  void entries() {
    assertEquals(
        TestData.TESSERA_ENTRIES,
        IntStream.range(0, 15)
            .mapToObj(i -> new String(bundle15.entry(i), StandardCharsets.UTF_8))
            .toList());
  }

  // Each checkpoint.<k> verifies and its root is the root of the first k entries of the bundle.
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
  void checkpointOfEverySize(int k) {
    String name = "tessera-log/checkpoint." + k;
    Checkpoint cp = verifier.verify(name, resource(name));
    assertEquals(ORIGIN, cp.origin());
    assertEquals(k, cp.size());
    assertEquals(List.of(), cp.extensions());
    assertArrayEquals(rootOfFirst(k), cp.root(), name);
    if (k > 0) {
      // The partial tiles and bundles of every size are prefixes of the width-15 ones.
      String p = "tile/entries/000.p/" + k;
      assertArrayEquals(
          EntryBundle.parseFullAsPartial(fakeFull(), k, p).bytes(), resource("tessera-log/" + p));
      byte[] tile = resource("tessera-log/tile/0/000.p/" + k);
      assertArrayEquals(Arrays.copyOf(bundle15.leafHashes(Rfc6962.sha256()), 32 * k), tile);
      assertArrayEquals(cp.root(), TreeEdge.of(k, level -> tile).root());
    }
  }

  @Test
  void latestCheckpoint() {
    Checkpoint cp = verifier.verify("checkpoint", resource("tessera-log/checkpoint"));
    assertEquals(15, cp.size());
    assertEquals("rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=", cp.rootBase64());
    assertArrayEquals(resource("tessera-log/checkpoint.15"), resource("tessera-log/checkpoint"));
  }

  @Test
  void alteredSizeLineFails() {
    String good = new String(resource("tessera-log/checkpoint"), StandardCharsets.UTF_8);
    assertTrue(good.startsWith(ORIGIN + "\n15\n"));
    byte[] bad = utf8(good.replaceFirst("\n15\n", "\n16\n"));
    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> verifier.verify("checkpoint", bad));
    assertTrue(
        e.getMessage().contains("checkpoint") && e.getMessage().contains("33d7b496"),
        e.getMessage());
  }

  @Test
  void otherKeyIsRejected() {
    String otherVkey = NoteSigner.parse(NoteSigner.signerKey(ORIGIN, new byte[32])).verifierKey();
    CheckpointVerifier other = new CheckpointVerifier(List.of(VerifierKeys.parse(otherVkey)));
    assertThrows(
        InvalidLogException.class,
        () -> other.verify("checkpoint", resource("tessera-log/checkpoint")));
    assertThrows(IllegalArgumentException.class, () -> new CheckpointVerifier(List.of()));
  }

  // Ed25519 is deterministic: re-signing the text with the published test key gives the same bytes.
  @Test
  void signerReproducesCheckpoint() {
    NoteSigner signer = NoteSigner.parse(SKEY);
    assertEquals(VKEY, signer.verifierKey());
    byte[] stored = resource("tessera-log/checkpoint");
    Checkpoint cp = verifier.verify("checkpoint", stored);
    String text = Checkpoint.text(cp.origin(), cp.size(), cp.root());
    assertArrayEquals(stored, signer.sign(text));
    for (int k = 0; k <= 15; k++) {
      assertArrayEquals(
          resource("tessera-log/checkpoint." + k),
          signer.sign(Checkpoint.text(ORIGIN, k, rootOfFirst(k))),
          "checkpoint." + k);
    }
  }

  @Test
  void treeStateRoundTrip() {
    byte[] json = resource("tessera-log/.state/treeState");
    TreeState state = TreeState.parse(".state/treeState", json);
    assertEquals(15, state.size());
    assertArrayEquals(rootOfFirst(15), state.root());
    assertArrayEquals(json, state.toJson());
  }

  @Test
  void versionFileIsExactlyOne() {
    assertArrayEquals(new byte[] {'1'}, resource("tessera-log/.state/version"));
  }

  private byte[] rootOfFirst(int k) {
    return TestData.mth(
        IntStream.range(0, k).mapToObj(i -> Rfc6962.leafHash(bundle15.entry(i))).toList());
  }

  /**
   * A full 256-entry bundle starting with the 15 testdata entries, to exercise the fallback path.
   */
  private byte[] fakeFull() {
    List<byte[]> entries = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      entries.add(i < 15 ? bundle15.entry(i) : utf8("filler " + i));
    }
    return EntryBundle.encode(entries);
  }
}
