package dev.tlogmigrate.transforms.format;

import java.util.Arrays;
import java.util.Base64;

/**
 * Parses verifier key strings {@code <name>+<key ID hex>+<base64(type || key material)>}: 0x01
 * Ed25519, 0x04 Ed25519 cosignature/v1, and 0x05 RFC 6962 log keys (material = DER SPKI, as in
 * transparency-dev/formats).
 */
public final class VerifierKeys {
  private VerifierKeys() {}

  public static NoteVerifier parse(String vkey) {
    // Split on the first two '+' only: the base64 part may itself contain '+'.
    int first = vkey.indexOf('+');
    int second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
    if (second < 0) {
      throw new IllegalArgumentException("malformed verifier key (want name+keyid+key): " + vkey);
    }
    String name = vkey.substring(0, first);
    String hex = vkey.substring(first + 1, second);
    if (!SignedNote.isValidKeyName(name)) {
      throw new IllegalArgumentException("malformed verifier key: bad key name '" + name + "'");
    }
    if (!hex.matches("[0-9a-f]{8}")) {
      throw new IllegalArgumentException(
          "malformed verifier key: key ID '" + hex + "' is not 8 hex digits");
    }
    byte[] material;
    try {
      material = Base64.getDecoder().decode(vkey.substring(second + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed verifier key: key is not base64: " + vkey);
    }
    if (material.length == 0) {
      throw new IllegalArgumentException("malformed verifier key: empty key: " + vkey);
    }
    // Each type derives its own key ID: 0x05 hashes the LogID, not the material in the string.
    NoteVerifier verifier = verifier(name, material);
    if (verifier.keyId() != Integer.parseUnsignedInt(hex, 16)) {
      throw new IllegalArgumentException(
          "malformed verifier key: key ID " + hex + " does not match the key of " + name);
    }
    return verifier;
  }

  private static NoteVerifier verifier(String name, byte[] material) {
    byte[] key = Arrays.copyOfRange(material, 1, material.length);
    if (material[0] == NoteKeys.TYPE_ED25519 && key.length == 32) {
      return new Ed25519NoteVerifier(name, NoteKeys.keyId(name, material), key);
    }
    if (material[0] == NoteKeys.TYPE_COSIGNATURE && key.length == 32) {
      return new CosignatureVerifier(name, key);
    }
    if (material[0] == NoteKeys.TYPE_RFC6962) {
      return Rfc6962NoteVerifier.fromPublicKey(name, key);
    }
    throw new IllegalArgumentException(
        String.format(
            "unsupported verifier key type 0x%02x (%d bytes) for %s",
            material[0], material.length, name));
  }
}
