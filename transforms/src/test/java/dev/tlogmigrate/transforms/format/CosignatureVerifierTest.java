package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Signature type 0x04 on Skylight's real witness checkpoints and on cosignatures made here. */
class CosignatureVerifierTest {
  private static final String WITNESS_CHECKPOINT =
      "static-ct/skylight/witness/000de184301123b9278c086a7d9f68c9577e83872224c197058fd90784ea9706/checkpoint";
  private static final String MIRROR_CHECKPOINT =
      "static-ct/skylight/witness/mirror/000de184301123b9278c086a7d9f68c9577e83872224c197058fd90784ea9706/checkpoint";
  private static final String WITNESS2_CHECKPOINT =
      "static-ct/skylight/witness2/88ad7a28caeb0b2aa890fdf0304c2fcaf59fca2ee140134ff8c1300bac493482/checkpoint";
  private static final String TEXT =
      "example.com/log\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

  /** The one verifier key listed in a Skylight witness JSON file. */
  static NoteVerifier skylightWitness(String json) {
    Matcher m =
        Pattern.compile("\"verifier_keys\": \\[\\s*\"([^\"]+)\"")
            .matcher(TestData.resourceString(json));
    assertTrue(m.find());
    return VerifierKeys.parse(m.group(1));
  }

  @Test
  void skylightCosignaturesVerify() {
    record Case(String checkpoint, String json, String label) {}
    for (Case c :
        List.of(
            new Case(
                WITNESS_CHECKPOINT,
                "static-ct/skylight/witness/witness.v0.json",
                "witness.example.org+b8a2cf20"),
            new Case(
                MIRROR_CHECKPOINT,
                "static-ct/skylight/witness/mirror/mirror.v0.json",
                "mirror.example.org+3fb148ef"),
            new Case(
                WITNESS2_CHECKPOINT,
                "static-ct/skylight/witness2/witness.v0.json",
                "witness2.example.org+2e55b896"))) {
      NoteVerifier witness = skylightWitness(c.json());
      assertInstanceOf(CosignatureVerifier.class, witness);
      assertEquals(c.label(), witness.keyLabel());
      SignedNote note = SignedNote.parse(c.checkpoint(), TestData.resource(c.checkpoint()));
      assertEquals(
          List.of(witness), NoteVerification.verify(c.checkpoint(), note, List.of(witness)));
      byte[] sig =
          note.signatures().stream()
              .filter(s -> s.keyLabel().equals(c.label()))
              .findFirst()
              .orElseThrow()
              .signature();
      assertEquals(1767139200L, ByteBuffer.wrap(sig).getLong(), "timestamp in seconds");
    }
  }

  @Test
  void skylightCosignatureOverATamperedNoteFails() {
    NoteVerifier witness = skylightWitness("static-ct/skylight/witness/witness.v0.json");
    String s = TestData.resourceString(WITNESS_CHECKPOINT);
    SignedNote note =
        SignedNote.parse("checkpoint", TestData.utf8(s.replace("\n300\n", "\n299\n")));
    String msg =
        assertThrows(
                InvalidLogException.class,
                () -> NoteVerification.verify("checkpoint", note, List.of(witness)))
            .getMessage();
    assertEquals("checkpoint: invalid signature by witness.example.org+b8a2cf20", msg);
  }

  @Test
  void coversTimestampAndExtensionLines() {
    TestCosigner w = new TestCosigner("witness.test");
    NoteVerifier v = w.verifier();
    String withExtension = TEXT + "some extension\n";
    byte[] blob = w.blob(withExtension, 1700000000L);
    byte[] sig = Arrays.copyOfRange(blob, 4, blob.length);
    assertTrue(v.verify(TestData.utf8(withExtension), sig));
    assertFalse(v.verify(TestData.utf8(TEXT), sig), "extension line is signed");
    assertFalse(v.verify(TestData.utf8(TEXT + "other extension\n"), sig));
    byte[] otherTime = sig.clone();
    otherTime[7] ^= 1;
    assertFalse(v.verify(TestData.utf8(withExtension), otherTime), "timestamp is signed");
    assertFalse(v.verify(TestData.utf8(withExtension), Arrays.copyOf(sig, 71)));
    assertFalse(v.verify(TestData.utf8(withExtension), Arrays.copyOf(sig, 73)));
    assertFalse(
        v.verify(TestData.utf8(withExtension), Arrays.copyOfRange(sig, 8, 72)),
        "plain 0x01-style signature");
  }

  /** The timestamp is a u64, written in decimal as unsigned. */
  @Test
  void timestampAbove2To63IsFormattedUnsigned() {
    TestCosigner w = new TestCosigner("witness.test");
    byte[] blob = w.blob(TEXT, -1L);
    assertTrue(w.verifier().verify(TestData.utf8(TEXT), Arrays.copyOfRange(blob, 4, blob.length)));
  }

  @Test
  void vkeyWithTheWrongTypeOrLengthIsRejected() {
    TestCosigner w = new TestCosigner("witness.test");
    String vkey = w.vkey();
    String[] parts = vkey.split("\\+", 3);
    byte[] material = Base64.getDecoder().decode(parts[2]);
    material[0] = 0x01; // same key as plain Ed25519: a different key ID
    assertThrows(
        IllegalArgumentException.class,
        () ->
            VerifierKeys.parse(
                parts[0] + "+" + parts[1] + "+" + Base64.getEncoder().encodeToString(material)));
    byte[] longer = Arrays.copyOf(Base64.getDecoder().decode(parts[2]), 34);
    String withLongKey =
        parts[0]
            + "+"
            + String.format("%08x", NoteKeys.keyId(parts[0], longer))
            + "+"
            + Base64.getEncoder().encodeToString(longer);
    assertThrows(IllegalArgumentException.class, () -> VerifierKeys.parse(withLongKey));
  }
}
