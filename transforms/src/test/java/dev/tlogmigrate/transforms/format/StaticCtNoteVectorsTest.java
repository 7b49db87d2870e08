package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.format.NoteVectors.Vector;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the 0x04 and 0x05 vectors of the shared note vectors show beyond their outcomes (which
 * NoteVectorsTest checks): verifier types, the SPKI factory, STH timestamps, the log-ID key ID.
 */
class StaticCtNoteVectorsTest {
  /** The vectors with RFC 6962 (0x05) or cosignature (0x04) keys; NoteVectorsTest runs them all. */
  private static final List<Vector> VECTORS =
      NoteVectors.ALL.stream()
          .filter(
              v ->
                  v.has("NOTE_B64")
                      && v.all("VKEY").stream().anyMatch(k -> keyType(k) != NoteKeys.TYPE_ED25519))
          .toList();

  static Stream<Vector> noteVectors() {
    return VECTORS.stream();
  }

  static Stream<Vector> sthVectors() {
    return VECTORS.stream().filter(v -> v.has("STH_JSON"));
  }

  @Test
  void everyStaticCtAndWitnessVectorIsHere() {
    assertEquals(9, VECTORS.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("noteVectors")
  void vkeysRoundTripTheirLabelsAndTypes(Vector v) {
    for (String vkey : v.all("VKEY")) {
      String[] parts = vkey.split("\\+", 3);
      NoteVerifier verifier = VerifierKeys.parse(vkey);
      assertEquals(parts[0] + "+" + parts[1], verifier.keyLabel());
      int type = Base64.getDecoder().decode(parts[2])[0];
      Class<?> want =
          type == NoteKeys.TYPE_RFC6962 ? Rfc6962NoteVerifier.class : CosignatureVerifier.class;
      assertEquals(want, verifier.getClass());
    }
  }

  /** The 0x05 vectors that give the SPKI and LogID: the flag-style factory agrees with the vkey. */
  @Test
  void fromPublicKeyMatchesTheVkeys() {
    List<Vector> withSpki = VECTORS.stream().filter(v -> v.has("LOG_SPKI_B64")).toList();
    assertEquals(2, withSpki.size());
    for (Vector v : withSpki) {
      byte[] spki = Base64.getDecoder().decode(v.one("LOG_SPKI_B64"));
      assertArrayEquals(
          Base64.getDecoder().decode(v.one("LOG_ID_B64")), TestData.sha256().digest(spki), v.id());
      NoteVerifier fromVkey = VerifierKeys.parse(v.one("VKEY"));
      Rfc6962NoteVerifier fromKey = Rfc6962NoteVerifier.fromPublicKey(fromVkey.name(), spki);
      assertEquals(fromVkey.keyLabel(), fromKey.keyLabel(), v.id());
    }
  }

  /** A get-sth turned into a checkpoint keeps the STH timestamp in the signature. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sthVectors")
  void signatureCarriesTheSthTimestamp(Vector v) {
    Matcher m = Pattern.compile("\"timestamp\":(\\d+)").matcher(v.one("STH_JSON"));
    assertTrue(m.find());
    SignedNote note = SignedNote.parse(v.id(), Base64.getDecoder().decode(v.one("NOTE_B64")));
    Rfc6962NoteSignature sig = Rfc6962NoteSignature.parse(note.signatures().get(0).signature());
    assertEquals(Long.parseLong(m.group(1)), sig.timestamp());
    assertEquals(Rfc6962NoteSignature.HASH_SHA256, sig.hashAlgorithm());
    assertEquals(Rfc6962NoteSignature.SIGNATURE_ECDSA, sig.signatureAlgorithm());
  }

  /**
   * The generic ID over name || 0x0A || 0x05 || SPKI (2b32068c for rome2024h1) is not the key's ID.
   */
  @Test
  void rfc6962VkeyWithTheNaiveKeyIdIsRejected() {
    String good =
        VECTORS.stream()
            .filter(v -> v.id().equals("static-ct-real-rome2024h1"))
            .findFirst()
            .orElseThrow()
            .one("VKEY");
    String[] parts = good.split("\\+", 3);
    assertEquals("78f4abae", parts[1]);
    assertEquals(
        "2b32068c",
        String.format("%08x", NoteKeys.keyId(parts[0], Base64.getDecoder().decode(parts[2]))));
    String naive = parts[0] + "+2b32068c+" + parts[2];
    String msg =
        assertThrows(IllegalArgumentException.class, () -> VerifierKeys.parse(naive)).getMessage();
    assertTrue(msg.contains("2b32068c"), msg);
  }

  private static int keyType(String vkey) {
    return Base64.getDecoder().decode(vkey.split("\\+", 3)[2])[0];
  }
}
