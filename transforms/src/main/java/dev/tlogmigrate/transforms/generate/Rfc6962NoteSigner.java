package dev.tlogmigrate.transforms.generate;

import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.NoteKeys;
import dev.tlogmigrate.transforms.format.Rfc6962NoteSignature;
import dev.tlogmigrate.transforms.format.Rfc6962NoteVerifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Signs checkpoints as a static-ct log does: a type 0x05 note signature over the RFC 6962
 * TreeHeadSignature, with an ECDSA P-256 key. For generated test logs.
 */
public final class Rfc6962NoteSigner implements CheckpointSigner {
  private final String name;
  private final KeyPair key;
  private final int keyId;

  private Rfc6962NoteSigner(String name, KeyPair key) {
    this.name = name;
    this.key = key;
    this.keyId = Rfc6962NoteVerifier.keyId(name, key.getPublic().getEncoded());
  }

  /**
   * A P-256 key drawn deterministically from {@code seed}: the same seed gives the same log key.
   */
  public static Rfc6962NoteSigner fromSeed(String name, byte[] seed) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), new SeededRandom(seed));
      return new Rfc6962NoteSigner(name, gen.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no P-256 in this JDK", e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The DER SubjectPublicKeyInfo, as CT log lists publish it (base64 for --sourcePublicKey). */
  public byte[] publicKey() {
    return key.getPublic().getEncoded();
  }

  @Override
  public String verifierKey() {
    byte[] spki = publicKey();
    byte[] material = new byte[1 + spki.length];
    material[0] = NoteKeys.TYPE_RFC6962;
    System.arraycopy(spki, 0, material, 1, spki.length);
    return String.format("%s+%08x+%s", name, keyId, Base64.getEncoder().encodeToString(material));
  }

  @Override
  public byte[] sign(String text) {
    Checkpoint cp = Checkpoint.parse("checkpoint to sign", text.getBytes(StandardCharsets.UTF_8));
    long timestamp = System.currentTimeMillis();
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key.getPrivate());
      s.update(Rfc6962NoteVerifier.treeHeadSignatureInput(timestamp, cp.size(), cp.root()));
      byte[] der = s.sign();
      byte[] blob =
          ByteBuffer.allocate(4 + 8 + 2 + 2 + der.length)
              .putInt(keyId)
              .putLong(timestamp)
              .put((byte) Rfc6962NoteSignature.HASH_SHA256)
              .put((byte) Rfc6962NoteSignature.SIGNATURE_ECDSA)
              .putShort((short) der.length)
              .put(der)
              .array();
      String line = "\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
      return (text + "\n" + line).getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA signing failed", e);
    }
  }
}
