package dev.tlogmigrate.transforms.generate;

import dev.tlogmigrate.transforms.format.NoteKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 note signer from a Go-style signer key {@code PRIVATE+KEY+<name>+<id>+base64(0x01 ||
 * seed)}. Used to write test and example logs; a migration never signs.
 */
public final class NoteSigner implements CheckpointSigner {
  private final String name;
  private final int keyId;
  private final PrivateKey key;
  private final byte[] publicKey;

  private NoteSigner(String name, byte[] seed) throws GeneralSecurityException {
    this.name = name;
    this.key =
        KeyFactory.getInstance("Ed25519")
            .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
    this.publicKey = derivePublicKey(seed);
    byte[] material = new byte[33];
    material[0] = NoteKeys.TYPE_ED25519;
    System.arraycopy(publicKey, 0, material, 1, 32);
    this.keyId = NoteKeys.keyId(name, material);
  }

  public static NoteSigner parse(String skey) {
    String prefix = "PRIVATE+KEY+";
    String[] parts =
        skey.startsWith(prefix) ? skey.substring(prefix.length()).split("\\+", 3) : new String[0];
    if (parts.length != 3) {
      throw new IllegalArgumentException("malformed signer key, want PRIVATE+KEY+name+id+key");
    }
    byte[] material = Base64.getDecoder().decode(parts[2]);
    if (material.length != 33 || material[0] != NoteKeys.TYPE_ED25519) {
      throw new IllegalArgumentException("signer key is not an Ed25519 key");
    }
    try {
      NoteSigner signer = new NoteSigner(parts[0], Arrays.copyOfRange(material, 1, 33));
      if (!String.format("%08x", signer.keyId).equals(parts[1])) {
        throw new IllegalArgumentException("signer key ID " + parts[1] + " does not match its key");
      }
      return signer;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("bad signer key: " + e.getMessage(), e);
    }
  }

  /** A new signer key for {@code name} from a 32-byte seed. */
  public static String signerKey(String name, byte[] seed) {
    byte[] material = new byte[33];
    material[0] = NoteKeys.TYPE_ED25519;
    System.arraycopy(seed, 0, material, 1, 32);
    try {
      NoteSigner s = new NoteSigner(name, seed);
      return String.format(
          "PRIVATE+KEY+%s+%08x+%s", name, s.keyId, Base64.getEncoder().encodeToString(material));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String verifierKey() {
    byte[] material = new byte[33];
    material[0] = NoteKeys.TYPE_ED25519;
    System.arraycopy(publicKey, 0, material, 1, 32);
    return String.format("%s+%08x+%s", name, keyId, Base64.getEncoder().encodeToString(material));
  }

  @Override
  public byte[] sign(String text) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
      s.update(textBytes);
      byte[] blob = ByteBuffer.allocate(4 + 64).putInt(keyId).put(s.sign()).array();
      String line = "\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
      return (text + "\n" + line).getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /**
   * The JDK derives the public key only while generating a pair, so feed it the seed as randomness.
   */
  private static byte[] derivePublicKey(byte[] seed) throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
    gen.initialize(
        NamedParameterSpec.ED25519,
        new SecureRandom() {
          @Override
          public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
          }
        });
    EdECPublicKey pub = (EdECPublicKey) gen.generateKeyPair().getPublic();
    byte[] encoded = pub.getEncoded();
    return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
  }
}
