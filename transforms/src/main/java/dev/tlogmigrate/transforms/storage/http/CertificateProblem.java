package dev.tlogmigrate.transforms.storage.http;

import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Why a TLS handshake refused the source's certificate, in words an operator acts on: unknown
 * issuer, expired, name mismatch. A refused certificate is not retried: it will not get better.
 */
final class CertificateProblem {
  private CertificateProblem() {}

  /**
   * Why the server's certificate was refused, when that is what failed the request; empty for any
   * other failure (a reset or a stall mid-handshake may well pass next time).
   */
  static Optional<String> reason(IOException e, String host) {
    if (e
        instanceof
        SSLPeerUnverifiedException) { // the client's own check of the name, after the handshake
      return Optional.of(
          isNameMismatch(e.getMessage()) ? nameMismatch(host, e.getMessage()) : e.getMessage());
    }
    if (!(e instanceof SSLHandshakeException)) {
      return Optional.empty();
    }
    CertificateException refusal = null;
    for (Throwable c = e; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof CertificateExpiredException) {
        return Optional.of("expired (" + c.getMessage() + ")");
      }
      if (c instanceof CertificateNotYetValidException) {
        return Optional.of("not yet valid (" + c.getMessage() + ")");
      }
      if (c instanceof CertPathBuilderException) {
        return Optional.of(
            "unknown issuer: no CA this process trusts signed it"
                + " (for a log behind a private CA, give the CA's certificate with --sourceTrustedCertificates)");
      }
      if (c instanceof CertificateException ce) {
        if (isNameMismatch(ce.getMessage())) {
          return Optional.of(nameMismatch(host, ce.getMessage()));
        }
        refusal = ce;
      }
    }
    return refusal == null ? Optional.empty() : Optional.of(refusal.getMessage());
  }

  /** Whether a trust manager refused a chain because no store it trusts holds its root. */
  static boolean isUnknownIssuer(Throwable t) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof CertPathBuilderException) {
        return true;
      }
    }
    return false;
  }

  /** The JDK's check says "No subject alternative ... matching", HttpClient's "doesn't match". */
  private static boolean isNameMismatch(String message) {
    return message != null
        && (message.startsWith("No subject alternative")
            || message.startsWith("No name matching")
            || message.contains("doesn't match"));
  }

  private static String nameMismatch(String host, String detail) {
    return "name mismatch: it is not for " + host + " (" + detail + ")";
  }
}
