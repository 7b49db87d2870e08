package dev.tlogmigrate.transforms.format;

import java.util.HexFormat;

/**
 * A static-ct-api issuer, {@code issuer/<fingerprint>}: its body must be the DER certificate whose
 * SHA-256 is the lowercase hex fingerprint in its name, the way data tile chains reference it.
 */
public final class IssuerCertificate {
  private IssuerCertificate() {}

  public static String resource(String fingerprint) {
    return "issuer/" + fingerprint;
  }

  /** Fails unless {@code fingerprint} is 64 lowercase hex digits and SHA-256(body) equals it. */
  public static void verify(String fingerprint, byte[] body) {
    if (!fingerprint.matches("[0-9a-f]{64}")) {
      throw new InvalidLogException(
          resource(fingerprint) + ": not a lowercase hex SHA-256 fingerprint");
    }
    String actual = HexFormat.of().formatHex(Rfc6962.sha256().digest(body));
    if (!actual.equals(fingerprint)) {
      throw new InvalidLogException(
          resource(fingerprint) + ": body of " + body.length + " bytes has SHA-256 " + actual);
    }
  }
}
