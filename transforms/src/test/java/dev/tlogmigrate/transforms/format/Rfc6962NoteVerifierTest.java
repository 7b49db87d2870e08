package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Signature type 0x05 on the real Skylight checkpoint and on checkpoints signed here. */
class Rfc6962NoteVerifierTest {
  private static final String ORIGIN = "rome2026h1.example.org";
  private static final byte[] CHECKPOINT = TestData.resource("static-ct/skylight/tree/checkpoint");
  private static final byte[] ROOT = TestData.sha256().digest(TestData.utf8("a test root"));

  /** The "key" of Skylight's log.v3.json: base64 DER SPKI, as a --sourcePublicKey flag gives it. */
  private static byte[] skylightSpki() {
    Matcher m =
        Pattern.compile("\"key\": \"([^\"]+)\"")
            .matcher(TestData.resourceString("static-ct/skylight/tree/log.v3.json"));
    assertTrue(m.find());
    return Base64.getDecoder().decode(m.group(1));
  }

  @Test
  void skylightCheckpointVerifiesWithTheLogJsonKey() {
    Rfc6962NoteVerifier key = Rfc6962NoteVerifier.fromPublicKey(ORIGIN, skylightSpki());
    assertEquals(ORIGIN + "+91507526", key.keyLabel());
    Checkpoint cp = new CheckpointVerifier(List.of(key)).verify("tree/checkpoint", CHECKPOINT);
    assertEquals(300, cp.size());
    assertEquals("lCkHUpkmVBEms2r2T1K6Og69+wUuuN3MIEW1/ezu2v0=", cp.rootBase64());

    SignedNote note = SignedNote.parse("tree/checkpoint", CHECKPOINT);
    Rfc6962NoteSignature sig = Rfc6962NoteSignature.parse(note.signatures().get(0).signature());
    assertEquals(1767139200000L, sig.timestamp());
    assertEquals(71, sig.signature().length);
  }

  @Test
  void logIdInLogJsonIsTheHashOfTheKey() {
    Matcher m =
        Pattern.compile("\"log_id\": \"([^\"]+)\"")
            .matcher(TestData.resourceString("static-ct/skylight/tree/log.v3.json"));
    assertTrue(m.find());
    byte[] material = new byte[33];
    material[0] = 0x05;
    System.arraycopy(Base64.getDecoder().decode(m.group(1)), 0, material, 1, 32);
    assertEquals(
        NoteKeys.keyId(ORIGIN, material), Rfc6962NoteVerifier.keyId(ORIGIN, skylightSpki()));
  }

  @Test
  void tamperedSizeFails() {
    String msg =
        assertThrows(InvalidLogException.class, () -> verifySkylight(edit("\n300\n", "\n301\n")))
            .getMessage();
    assertEquals("tree/checkpoint: invalid signature by " + ORIGIN + "+91507526", msg);
  }

  @Test
  void tamperedRootFails() {
    assertThrows(
        InvalidLogException.class,
        () -> verifySkylight(edit("lCkHUpkmVBEms2r2", "mCkHUpkmVBEms2r2")));
  }

  /** The origin line is not signed: a key only vouches for text whose origin is its own name. */
  @Test
  void originOtherThanTheKeyNameFails() {
    SignedNote note = SignedNote.parse("tree/checkpoint", CHECKPOINT);
    byte[] sig = note.signatures().get(0).signature();
    Rfc6962NoteVerifier key = Rfc6962NoteVerifier.fromPublicKey(ORIGIN, skylightSpki());
    assertTrue(key.verify(note.text(), sig));
    assertFalse(
        key.verify(
            TestData.utf8(note.textString().replace(ORIGIN, "milan2026h1.example.org")), sig));
    Rfc6962NoteVerifier renamed =
        Rfc6962NoteVerifier.fromPublicKey("milan2026h1.example.org", skylightSpki());
    assertFalse(renamed.verify(note.text(), sig));
  }

  /**
   * The TreeHeadSignature still matches, so only the 3-line rule rejects an added extension line.
   */
  @Test
  void extensionLineFails() {
    SignedNote note = SignedNote.parse("tree/checkpoint", CHECKPOINT);
    byte[] sig = note.signatures().get(0).signature();
    Rfc6962NoteVerifier key = Rfc6962NoteVerifier.fromPublicKey(ORIGIN, skylightSpki());
    assertFalse(key.verify(TestData.utf8(note.textString() + "extension\n"), sig));
    assertThrows(
        InvalidLogException.class, () -> verifySkylight(edit("ezu2v0=\n", "ezu2v0=\nextension\n")));
  }

  @Test
  void malformedSignatureBlobsFail() {
    SignedNote note = SignedNote.parse("tree/checkpoint", CHECKPOINT);
    byte[] sig = note.signatures().get(0).signature();
    Rfc6962NoteVerifier key = Rfc6962NoteVerifier.fromPublicKey(ORIGIN, skylightSpki());
    byte[] text = note.text();
    assertFalse(key.verify(text, Arrays.copyOf(sig, sig.length + 1)), "trailing byte");
    assertFalse(key.verify(text, Arrays.copyOf(sig, sig.length - 1)), "short signature");
    assertFalse(key.verify(text, Arrays.copyOf(sig, 11)), "no length");
    assertFalse(key.verify(text, new byte[0]));
    byte[] otherHash = sig.clone();
    otherHash[8] = 5; // SHA-384
    assertFalse(key.verify(text, otherHash));
    byte[] rsaAlg = sig.clone();
    rsaAlg[9] = 1;
    assertFalse(key.verify(text, rsaAlg));
    byte[] otherTime = sig.clone();
    otherTime[7] ^= 1;
    assertFalse(key.verify(text, otherTime));
    byte[] notDer = sig.clone();
    notDer[12] = 0x31;
    assertFalse(key.verify(text, notDer));
  }

  @Test
  void vkeyFormParsesToTheSameKey() {
    byte[] material = new byte[1 + skylightSpki().length];
    material[0] = 0x05;
    System.arraycopy(skylightSpki(), 0, material, 1, material.length - 1);
    NoteVerifier parsed =
        VerifierKeys.parse(ORIGIN + "+91507526+" + Base64.getEncoder().encodeToString(material));
    SignedNote note = SignedNote.parse("tree/checkpoint", CHECKPOINT);
    assertTrue(parsed.verify(note.text(), note.signatures().get(0).signature()));
  }

  @Test
  void verifierSurvivesJavaSerialization() throws Exception {
    NoteVerifier key = Rfc6962NoteVerifier.fromPublicKey(ORIGIN, skylightSpki());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(key);
    }
    NoteVerifier copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (NoteVerifier) in.readObject();
    }
    assertEquals(key.keyLabel(), copy.keyLabel());
    SignedNote note = SignedNote.parse("tree/checkpoint", CHECKPOINT);
    assertTrue(copy.verify(note.text(), note.signatures().get(0).signature()));
  }

  @Test
  void freshP256KeySignsAndVerifies() throws Exception {
    KeyPair pair = generate("EC", new ECGenParameterSpec("secp256r1"));
    Rfc6962NoteVerifier key =
        Rfc6962NoteVerifier.fromPublicKey("example.com/log", pair.getPublic().getEncoded());
    byte[] note =
        sign(pair.getPrivate(), "SHA256withECDSA", 3, key.keyId(), "example.com/log", 12345, 99);
    new CheckpointVerifier(List.of(key)).verify("checkpoint", note);
    byte[] wrongAlg =
        sign(pair.getPrivate(), "SHA256withECDSA", 1, key.keyId(), "example.com/log", 12345, 99);
    assertThrows(
        InvalidLogException.class,
        () -> new CheckpointVerifier(List.of(key)).verify("checkpoint", wrongAlg));
  }

  @Test
  void rsaKeySignsAndVerifies() throws Exception {
    KeyPair pair = generate("RSA", null);
    Rfc6962NoteVerifier key =
        Rfc6962NoteVerifier.fromPublicKey("example.com/rsa", pair.getPublic().getEncoded());
    byte[] note =
        sign(
            pair.getPrivate(),
            "SHA256withRSA",
            1,
            key.keyId(),
            "example.com/rsa",
            7,
            1700000000000L);
    Checkpoint cp = new CheckpointVerifier(List.of(key)).verify("checkpoint", note);
    assertEquals(7, cp.size());
    byte[] asEcdsa =
        sign(
            pair.getPrivate(),
            "SHA256withRSA",
            3,
            key.keyId(),
            "example.com/rsa",
            7,
            1700000000000L);
    assertThrows(
        InvalidLogException.class,
        () -> new CheckpointVerifier(List.of(key)).verify("checkpoint", asEcdsa));
  }

  @Test
  void otherKeysAreRejected() throws Exception {
    byte[] p384 = generate("EC", new ECGenParameterSpec("secp384r1")).getPublic().getEncoded();
    byte[] ed25519 = generate("Ed25519", null).getPublic().getEncoded();
    KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
    small.initialize(1024);
    byte[] rsa1024 = small.generateKeyPair().getPublic().getEncoded();
    for (byte[] spki :
        List.of(
            p384, ed25519, rsa1024, new byte[] {0x30, 0x00}, Arrays.copyOf(skylightSpki(), 60))) {
      assertThrows(
          IllegalArgumentException.class, () -> Rfc6962NoteVerifier.fromPublicKey(ORIGIN, spki));
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> Rfc6962NoteVerifier.fromPublicKey("bad name", skylightSpki()));
  }

  private static void verifySkylight(byte[] note) {
    new CheckpointVerifier(List.of(Rfc6962NoteVerifier.fromPublicKey(ORIGIN, skylightSpki())))
        .verify("tree/checkpoint", note);
  }

  private static byte[] edit(String from, String to) {
    String s = new String(CHECKPOINT, StandardCharsets.UTF_8);
    assertTrue(s.contains(from));
    return TestData.utf8(s.replace(from, to));
  }

  private static KeyPair generate(String algorithm, ECGenParameterSpec curve) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance(algorithm);
    if (curve != null) {
      gen.initialize(curve);
    } else if (algorithm.equals("RSA")) {
      gen.initialize(2048);
    }
    return gen.generateKeyPair();
  }

  /** A checkpoint with a 0x05 signature, built field by field from RFC 6962 and static-ct-api. */
  private static byte[] sign(
      PrivateKey key, String jca, int sigAlg, int keyId, String origin, long size, long time)
      throws Exception {
    byte[] tbs =
        ByteBuffer.allocate(50)
            .put((byte) 0)
            .put((byte) 1)
            .putLong(time)
            .putLong(size)
            .put(ROOT)
            .array();
    Signature s = Signature.getInstance(jca);
    s.initSign(key);
    s.update(tbs);
    byte[] der = s.sign();
    byte[] blob =
        ByteBuffer.allocate(4 + 8 + 4 + der.length)
            .putInt(keyId)
            .putLong(time)
            .put((byte) 4)
            .put((byte) sigAlg)
            .putShort((short) der.length)
            .put(der)
            .array();
    String text = Checkpoint.text(origin, size, ROOT);
    return TestData.utf8(
        text + "\n\u2014 " + origin + " " + Base64.getEncoder().encodeToString(blob) + "\n");
  }
}
