package dev.tlogmigrate.transforms.format;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;

/**
 * A static-ct-api issuer, {@code issuer/<fingerprint>}: its body must be the DER certificate whose
 * SHA-256 is the lowercase hex fingerprint in its name, the way data tile chains reference it.
 */
public final class IssuerCertificate {
  private static final int SEQUENCE = 0x30;

  private IssuerCertificate() {}

  public static String resource(String fingerprint) {
    return "issuer/" + fingerprint;
  }

  /**
   * Fails unless {@code fingerprint} is 64 lowercase hex digits, SHA-256(body) equals it, and the
   * body is one DER-encoded X.509 certificate: nothing before or after it, not PEM, not a chain.
   */
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
    String notOne = notOneDerCertificate(body);
    if (notOne != null) {
      throw new InvalidLogException(resource(fingerprint) + ": not one DER certificate: " + notOne);
    }
  }

  /** Why {@code body} is not exactly one DER X.509 certificate, or null if it is one. */
  private static String notOneDerCertificate(byte[] body) {
    if (body.length < 2 || (body[0] & 0xff) != SEQUENCE) {
      return "it does not start with a DER SEQUENCE";
    }
    long length = derLength(body);
    if (length < 0) {
      return "its DER length is malformed";
    }
    if (length != body.length) {
      return "its DER SEQUENCE is "
          + length
          + " bytes, the body "
          + body.length
          + (length < body.length ? ": something follows the certificate" : "");
    }
    try {
      CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(body));
      return null;
    } catch (CertificateException | RuntimeException e) {
      return "not an X.509 certificate (" + e.getMessage() + ")";
    }
  }

  /** The whole length of the DER element at the start of {@code der}; -1 if malformed. */
  private static long derLength(byte[] der) {
    int first = der[1] & 0xff;
    if (first < 0x80) {
      return 2L + first;
    }
    int octets = first & 0x7f;
    if (octets == 0 || octets > 4 || der.length < 2 + octets) {
      return -1; // indefinite (not DER) or beyond any certificate's size
    }
    long n = 0;
    for (int i = 0; i < octets; i++) {
      n = (n << 8) | (der[2 + i] & 0xff);
    }
    return 2L + octets + n;
  }
}
