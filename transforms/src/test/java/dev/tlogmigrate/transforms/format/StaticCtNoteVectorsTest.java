package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 0x04 / 0x05 / key-ID vectors of the shared note vectors (static-ct/note-vectors-ct.txt, format
 * in its header), run through VerifierKeys and NoteVerification with Go sumdb/note Open() semantics.
 */
class StaticCtNoteVectorsTest {
  private static final List<Vector> VECTORS = load();

  /** One "[id]" block: its FIELD: value lines, repeated fields in order. */
  record Vector(String id, Map<String, List<String>> fields) {
    List<String> all(String field) {
      return fields.getOrDefault(field, List.of());
    }

    String one(String field) {
      List<String> v = all(field);
      assertEquals(1, v.size(), id + ": want exactly one " + field);
      return v.get(0);
    }

    boolean has(String field) {
      return fields.containsKey(field);
    }

    @Override
    public String toString() {
      return id;
    }
  }

  static Stream<Vector> noteVectors() {
    return VECTORS.stream().filter(v -> v.has("NOTE_B64"));
  }

  static Stream<Vector> keyIdVectors() {
    return VECTORS.stream().filter(v -> v.has("EXPECT_KEYID"));
  }

  static Stream<Vector> sthVectors() {
    return VECTORS.stream().filter(v -> v.has("STH_JSON"));
  }

  @Test
  void extractHoldsEveryStaticCtVector() {
    assertEquals(12, VECTORS.size());
    assertEquals(9, noteVectors().count());
    assertEquals(3, keyIdVectors().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("noteVectors")
  void noteVector(Vector v) {
    String resource = "note-vectors-ct.txt[" + v.id() + "]";
    List<NoteVerifier> trusted = v.all("VKEY").stream().map(VerifierKeys::parse).toList();
    SignedNote note = SignedNote.parse(resource, Base64.getDecoder().decode(v.one("NOTE_B64")));
    switch (v.one("EXPECT")) {
      case "OK" -> {
        List<NoteVerifier> verified = NoteVerification.verify(resource, note, trusted);
        assertEquals(v.all("EXPECT_VERIFIED"), verified.stream().map(NoteVerifier::keyLabel).toList());
      }
      case "UNVERIFIED_NOTE" -> {
        String msg = assertThrows(InvalidLogException.class,
            () -> NoteVerification.verify(resource, note, trusted)).getMessage();
        assertTrue(msg.startsWith(resource + ": "), msg);
        for (String label : v.all("EXPECT_UNVERIFIED")) {
          assertTrue(msg.contains(label), msg);
        }
      }
      case "INVALID_SIGNATURE" -> {
        String msg = assertThrows(InvalidLogException.class,
            () -> NoteVerification.verify(resource, note, trusted)).getMessage();
        assertTrue(msg.startsWith(resource + ": "), msg);
        assertTrue(msg.contains(v.one("EXPECT_FAILED_KEY")), msg);
      }
      default -> fail("unexpected EXPECT " + v.one("EXPECT"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("noteVectors")
  void vkeysRoundTripTheirLabelsAndTypes(Vector v) {
    for (String vkey : v.all("VKEY")) {
      String[] parts = vkey.split("\\+", 3);
      NoteVerifier verifier = VerifierKeys.parse(vkey);
      assertEquals(parts[0] + "+" + parts[1], verifier.keyLabel());
      int type = Base64.getDecoder().decode(parts[2])[0];
      Class<?> want = type == VerifierKeys.TYPE_RFC6962 ? Rfc6962NoteVerifier.class : CosignatureVerifier.class;
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
      assertArrayEquals(Base64.getDecoder().decode(v.one("LOG_ID_B64")), TestData.sha256().digest(spki), v.id());
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

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyIdVectors")
  void keyIdVector(Vector v) {
    byte[] material = TestData.hex(v.one("KEYID_MATERIAL_HEX"));
    byte[] typed = new byte[material.length + 1];
    typed[0] = (byte) Integer.parseInt(v.one("KEYID_ALG").substring(2), 16);
    System.arraycopy(material, 0, typed, 1, material.length);
    assertEquals(v.one("EXPECT_KEYID"), String.format("%08x", VerifierKeys.keyId(v.one("KEYID_NAME"), typed)));
  }

  /** The generic ID over name || 0x0A || 0x05 || SPKI (2b32068c for rome2024h1) is not the key's ID. */
  @Test
  void rfc6962VkeyWithTheNaiveKeyIdIsRejected() {
    String good = VECTORS.stream().filter(v -> v.id().equals("static-ct-real-rome2024h1")).findFirst()
        .orElseThrow().one("VKEY");
    String[] parts = good.split("\\+", 3);
    assertEquals("78f4abae", parts[1]);
    assertEquals("2b32068c", String.format("%08x", VerifierKeys.keyId(parts[0], Base64.getDecoder().decode(parts[2]))));
    String naive = parts[0] + "+2b32068c+" + parts[2];
    String msg = assertThrows(IllegalArgumentException.class, () -> VerifierKeys.parse(naive)).getMessage();
    assertTrue(msg.contains("2b32068c"), msg);
  }

  private static List<Vector> load() {
    List<Vector> out = new ArrayList<>();
    String id = null;
    Map<String, List<String>> fields = null;
    for (String line : TestData.resourceString("static-ct/note-vectors-ct.txt").split("\n", -1)) {
      if (line.startsWith("#")) {
        continue; // comments and "#|" renderings
      }
      if (line.isBlank()) {
        if (id != null) {
          out.add(new Vector(id, fields));
          id = null;
        }
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        assertTrue(id == null, "vector without a blank line before " + line);
        id = line.substring(1, line.length() - 1);
        fields = new LinkedHashMap<>();
        continue;
      }
      int colon = line.indexOf(": ");
      assertNotNull(id, "field outside a vector: " + line);
      assertTrue(colon > 0, "not a FIELD: value line in " + id + ": " + line);
      fields.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>()).add(line.substring(colon + 2));
    }
    if (id != null) {
      out.add(new Vector(id, fields));
    }
    return out;
  }
}
