package dev.tlogmigrate.transforms.format;

import static dev.tlogmigrate.transforms.format.TestData.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.generate.NoteSigner;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Go sumdb/note Open() rules (c2sp.org/signed-note): match by (name, key ID), skip unknown
 * signatures, a trusted key's bad signature rejects the note, only the first line per trusted key
 * counts.
 */
class NoteVerificationTest {
  private static final String RES = "checkpoint";
  private static final String TEXT =
      "example.com/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

  private final NoteSigner log = signer("example.com/log", 1);
  private final NoteSigner witness = signer("witness.example", 2);
  private final NoteVerifier logKey = VerifierKeys.parse(log.verifierKey());
  private final NoteVerifier witnessKey = VerifierKeys.parse(witness.verifierKey());

  @Test
  void verifiedInOrderOfAppearance() {
    String note = TEXT + "\n" + line(witness) + grease() + line(log);
    assertEquals(
        List.of("witness.example", "example.com/log"),
        verify(note, logKey, witnessKey).stream().map(NoteVerifier::name).toList());
  }

  @Test
  void unknownSignaturesAreSkipped() {
    String note = TEXT + "\n" + grease().repeat(20) + line(witness) + line(log);
    assertEquals(
        List.of(logKey.keyLabel()),
        verify(note, logKey).stream().map(NoteVerifier::keyLabel).toList());
  }

  @Test
  void noTrustedSignature() {
    String note = TEXT + "\n" + line(witness) + grease();
    InvalidLogException e = assertThrows(InvalidLogException.class, () -> verify(note, logKey));
    assertTrue(
        e.getMessage().contains(logKey.keyLabel())
            && e.getMessage().contains(witnessKey.keyLabel()),
        e.getMessage());
  }

  // Same name, different key ID: not this key's signature, so it is only "unknown".
  @Test
  void nameAloneDoesNotMatch() {
    NoteSigner sameNameOtherKey = signer("example.com/log", 3);
    String note = TEXT + "\n" + line(sameNameOtherKey);
    assertThrows(InvalidLogException.class, () -> verify(note, logKey));
  }

  @Test
  void badTrustedSignatureRejectsTheNote() {
    String note = TEXT + "\n" + line(log) + corrupt(line(witness));
    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> verify(note, logKey, witnessKey));
    assertTrue(
        e.getMessage().contains("invalid signature by " + witnessKey.keyLabel()), e.getMessage());
    // A signature over other text is just as bad.
    String other = new String(log.sign("example.com/log\n2\nAAAA\n"), StandardCharsets.UTF_8);
    String stolen = TEXT + other.substring(other.indexOf("\n\n") + 1);
    assertThrows(InvalidLogException.class, () -> verify(stolen, logKey));
  }

  // Signature bytes of the wrong length (e.g. a 0x04 cosignature under an Ed25519 key label) fail.
  @Test
  void wrongSignatureLengthFails() {
    byte[] blob = new byte[4 + 72];
    System.arraycopy(Base64.getDecoder().decode(sigOf(line(log))), 0, blob, 0, 4);
    String note = TEXT + "\n— example.com/log " + Base64.getEncoder().encodeToString(blob) + "\n";
    assertThrows(InvalidLogException.class, () -> verify(note, logKey));
  }

  // Go verifies only the first line of a trusted (name, ID); later ones are skipped unchecked.
  @Test
  void onlyTheFirstLinePerKeyCounts() {
    assertEquals(1, verify(TEXT + "\n" + line(log) + corrupt(line(log)), logKey).size());
    assertThrows(
        InvalidLogException.class,
        () -> verify(TEXT + "\n" + corrupt(line(log)) + line(log), logKey));
  }

  @Test
  void ambiguousTrustedKeys() {
    assertThrows(
        IllegalArgumentException.class,
        () -> verify(TEXT + "\n" + line(log), logKey, VerifierKeys.parse(log.verifierKey())));
  }

  @Test
  void signerKeyRoundTrip() {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 9);
    String skey = NoteSigner.signerKey("example.com/x", seed);
    assertTrue(skey.startsWith("PRIVATE+KEY+example.com/x+"), skey);
    NoteSigner s = NoteSigner.parse(skey);
    assertEquals(skey.split("\\+", 5)[3], s.verifierKey().split("\\+", 3)[1]);
    byte[] note = s.sign(TEXT);
    assertEquals(
        1,
        NoteVerification.verify(
                RES, SignedNote.parse(RES, note), List.of(VerifierKeys.parse(s.verifierKey())))
            .size());
    // A signer key whose ID does not match its key is refused.
    String badId = skey.replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
    assertThrows(IllegalArgumentException.class, () -> NoteSigner.parse(badId));
    assertThrows(
        IllegalArgumentException.class, () -> NoteSigner.parse("example.com/x+00000000+AAAA"));
  }

  private static List<NoteVerifier> verify(String note, NoteVerifier... keys) {
    return NoteVerification.verify(RES, SignedNote.parse(RES, utf8(note)), List.of(keys));
  }

  private static NoteSigner signer(String name, int seedByte) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) seedByte);
    return NoteSigner.parse(NoteSigner.signerKey(name, seed));
  }

  /** The signature line the signer writes for TEXT. */
  private static String line(NoteSigner s) {
    String note = new String(s.sign(TEXT), StandardCharsets.UTF_8);
    return note.substring(TEXT.length() + 1);
  }

  private static String sigOf(String line) {
    return line.substring(line.lastIndexOf(' ') + 1, line.length() - 1);
  }

  /** Flips one signature byte, keeping the key ID. */
  private static String corrupt(String line) {
    byte[] blob = Base64.getDecoder().decode(sigOf(line));
    blob[10] ^= 1;
    return line.substring(0, line.lastIndexOf(' ') + 1)
        + Base64.getEncoder().encodeToString(blob)
        + "\n";
  }

  /** Sunlight-style grease: the log's own name with a key ID that matches no key, random bytes. */
  private static String grease() {
    return "— example.com/log q83vEjRWeJA=\n";
  }
}
