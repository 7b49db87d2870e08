package dev.tlogmigrate.transforms.format;

import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * Signature type 0x05 (static-ct-api): an RFC 6962 TreeHeadSignature by a CT log key. It signs only
 * the timestamp, size and root, so the note text must be exactly origin, size and root, with the
 * origin equal to the key name; anything else could be swapped in under a valid signature.
 */
public final class Rfc6962NoteVerifier extends KeyedNoteVerifier {
  private static final long serialVersionUID = 1L;

  /** CT policies require at least 2048-bit RSA log keys. */
  private static final int MIN_RSA_BITS = 2048;

  private static final ECParameterSpec P256 = p256();

  /** DER SubjectPublicKeyInfo; kept as bytes because key objects need not be serializable. */
  private final byte[] spki;

  private Rfc6962NoteVerifier(String name, byte[] spki) {
    super(name, keyId(name, spki));
    this.spki = spki.clone();
  }

  /**
   * A verifier for a CT log key given as DER SubjectPublicKeyInfo (ECDSA P-256 or RSA); for a
   * static-ct log the name is its checkpoint origin.
   */
  public static Rfc6962NoteVerifier fromPublicKey(String name, byte[] spki) {
    if (!SignedNote.isValidKeyName(name)) {
      throw new IllegalArgumentException("bad key name '" + name + "' for an RFC 6962 log key");
    }
    publicKey(spki);
    return new Rfc6962NoteVerifier(name, spki);
  }

  /**
   * SHA-256(name || '\n' || 0x05 || LogID)[:4]: it hashes the LogID = SHA-256(SPKI), not the key.
   */
  public static int keyId(String name, byte[] spki) {
    byte[] material = new byte[1 + Tiles.HASH_SIZE];
    material[0] = NoteKeys.TYPE_RFC6962;
    System.arraycopy(Rfc6962.sha256().digest(spki), 0, material, 1, Tiles.HASH_SIZE);
    return NoteKeys.keyId(name, material);
  }

  @Override
  public boolean verify(byte[] text, byte[] signature) {
    Rfc6962NoteSignature sig;
    Checkpoint checkpoint;
    try {
      sig = Rfc6962NoteSignature.parse(signature);
      checkpoint = Checkpoint.parse("signed note", text);
    } catch (IllegalArgumentException | InvalidLogException e) {
      return false;
    }
    if (sig.hashAlgorithm() != Rfc6962NoteSignature.HASH_SHA256
        || !checkpoint.origin().equals(name())
        || !checkpoint.extensions().isEmpty()) {
      return false;
    }
    PublicKey key = publicKey(spki);
    boolean ecdsa = key instanceof ECPublicKey;
    int wantAlgorithm =
        ecdsa ? Rfc6962NoteSignature.SIGNATURE_ECDSA : Rfc6962NoteSignature.SIGNATURE_RSA;
    if (sig.signatureAlgorithm() != wantAlgorithm) {
      return false;
    }
    try {
      Signature v = Signature.getInstance(ecdsa ? "SHA256withECDSA" : "SHA256withRSA");
      v.initVerify(key);
      v.update(treeHeadSignatureInput(sig.timestamp(), checkpoint.size(), checkpoint.root()));
      return v.verify(sig.signature());
    } catch (GeneralSecurityException e) {
      return false; // includes signatures that are not valid DER
    }
  }

  /**
   * RFC 6962 §3.5 TreeHeadSignature: version v1, signature type tree_hash, timestamp, size, root.
   */
  public static byte[] treeHeadSignatureInput(long timestamp, long size, byte[] root) {
    return ByteBuffer.allocate(2 + 8 + 8 + Tiles.HASH_SIZE)
        .put((byte) 0)
        .put((byte) 1)
        .putLong(timestamp)
        .putLong(size)
        .put(root)
        .array();
  }

  private static PublicKey publicKey(byte[] spki) {
    PublicKey key = decode("EC", spki);
    if (key == null) {
      key = decode("RSA", spki);
    }
    if (key instanceof ECPublicKey ec && sameCurve(ec.getParams(), P256)) {
      return key;
    }
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= MIN_RSA_BITS) {
      return key;
    }
    throw new IllegalArgumentException(
        "RFC 6962 log key is not an ECDSA P-256 or 2048+ bit RSA public key");
  }

  private static PublicKey decode(String algorithm, byte[] spki) {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
    return a.getCurve().equals(b.getCurve())
        && a.getGenerator().equals(b.getGenerator())
        && a.getOrder().equals(b.getOrder())
        && a.getCofactor() == b.getCofactor();
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new AssertionError("every JDK has P-256", e);
    }
  }
}
