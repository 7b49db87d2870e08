package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tlogmigrate.transforms.format.NoteVectors.Vector;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared signed-note vectors (src/test/resources/note-vectors.txt, format in its header): note
 * parsing + verification with Go sumdb/note Open() semantics, vkey parsing, key IDs. Every vector
 * runs: Ed25519 (0x01), cosignature (0x04) and RFC 6962 (0x05) keys alike.
 */
class NoteVectorsTest {
  private static final List<Vector> VECTORS = NoteVectors.ALL;

  static Stream<Arguments> noteVectors() {
    return named(v -> v.has("NOTE_B64") && v.has("EXPECT"));
  }

  static Stream<Arguments> vkeyVectors() {
    return named(v -> v.has("VKEY_STRING"));
  }

  static Stream<Arguments> keyIdVectors() {
    return named(v -> v.has("EXPECT_KEYID"));
  }

  @Test
  void vectorFileParsesCompletely() {
    assertEquals(39, VECTORS.size(), "every vector of note-vectors.txt is read: 39 of them");
    assertEquals(28, noteVectors().count());
    assertEquals(8, vkeyVectors().count());
    assertEquals(3, keyIdVectors().count());
  }

  @ParameterizedTest
  @MethodSource("noteVectors")
  void noteVector(Vector v) {
    String resource = "note-vectors.txt[" + v.id() + "]";
    byte[] note = Base64.getDecoder().decode(v.one("NOTE_B64"));
    String expect = v.one("EXPECT");

    List<NoteVerifier> trusted = new ArrayList<>();
    try {
      for (String vkey : v.all("VKEY")) {
        trusted.add(VerifierKeys.parse(vkey));
      }
    } catch (IllegalArgumentException e) {
      assertEquals("MALFORMED", expect, v.id() + ": vkey rejected: " + e.getMessage());
      return;
    }

    switch (expect) {
      case "OK" -> {
        List<NoteVerifier> verified =
            NoteVerification.verify(resource, SignedNote.parse(resource, note), trusted);
        assertEquals(
            v.all("EXPECT_VERIFIED"),
            verified.stream().map(NoteVerifier::keyLabel).toList(),
            v.id());
      }
      case "UNVERIFIED_NOTE" -> {
        SignedNote parsed = SignedNote.parse(resource, note);
        String msg =
            assertThrows(
                    InvalidLogException.class,
                    () -> NoteVerification.verify(resource, parsed, trusted))
                .getMessage();
        assertTrue(msg.contains(resource), msg);
        for (String label : v.all("EXPECT_UNVERIFIED")) {
          assertTrue(msg.contains(label), v.id() + ": message should list " + label + ": " + msg);
        }
      }
      case "INVALID_SIGNATURE" -> {
        SignedNote parsed = SignedNote.parse(resource, note);
        String msg =
            assertThrows(
                    InvalidLogException.class,
                    () -> NoteVerification.verify(resource, parsed, trusted))
                .getMessage();
        assertTrue(msg.contains(resource), msg);
        assertTrue(msg.contains(v.one("EXPECT_FAILED_KEY")), msg);
      }
      case "MALFORMED" -> {
        // Malformed is a syntax error: the parser alone must reject it.
        String msg =
            assertThrows(InvalidLogException.class, () -> SignedNote.parse(resource, note))
                .getMessage();
        assertTrue(msg.contains("malformed"), msg);
      }
      default -> fail(v.id() + ": unknown EXPECT " + expect);
    }
  }

  @ParameterizedTest
  @MethodSource("vkeyVectors")
  void vkeyVector(Vector v) {
    String vkey = v.one("VKEY_STRING");
    switch (v.one("EXPECT")) {
      case "VALID" -> {
        NoteVerifier verifier = VerifierKeys.parse(vkey);
        String[] parts = vkey.split("\\+", 3);
        assertEquals(parts[0], verifier.name());
        assertEquals(Integer.parseUnsignedInt(parts[1], 16), verifier.keyId());
        assertEquals(parts[0] + "+" + parts[1], verifier.keyLabel());
      }
      case "INVALID" ->
          assertThrows(IllegalArgumentException.class, () -> VerifierKeys.parse(vkey));
      default -> fail(v.id() + ": unknown EXPECT");
    }
  }

  // keyId() is the generic recommended ID over name || 0x0A || type || material; for 0x05 the
  // material the vectors give is the 32-byte LogID, so all three vectors apply.
  @ParameterizedTest
  @MethodSource("keyIdVectors")
  void keyIdVector(Vector v) {
    byte[] material = TestData.hex(v.one("KEYID_MATERIAL_HEX"));
    byte[] typed = new byte[material.length + 1];
    typed[0] = (byte) Integer.parseInt(v.one("KEYID_ALG").substring(2), 16);
    System.arraycopy(material, 0, typed, 1, material.length);
    assertEquals(
        v.one("EXPECT_KEYID"), String.format("%08x", NoteKeys.keyId(v.one("KEYID_NAME"), typed)));
  }

  private static Stream<Arguments> named(java.util.function.Predicate<Vector> filter) {
    return VECTORS.stream().filter(filter).map(v -> Arguments.of(Named.of(v.id(), v)));
  }
}
