package dev.tlogmigrate.transforms.storage.http;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Certificates an operator trusts for an HTTPS source on top of the JDK's own (a private CA), and
 * the TLS context that trusts both: what either accepts is accepted, and verification of the chain
 * and of the host name stays on.
 */
final class TrustedCertificates {
  private TrustedCertificates() {}

  /** The X.509 certificates in PEM text; refuses text without any. */
  static List<X509Certificate> parse(String pem) {
    try {
      List<X509Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(US_ASCII)))
              .stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("trusted certificates: no PEM certificate found");
      }
      return certs;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "trusted certificates: not PEM certificates: " + e.getMessage(), e);
    }
  }

  /** A client context whose trust is the JDK's default trust plus these certificates. */
  static SSLContext sslContext(String pem) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager(pem)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  static X509ExtendedTrustManager trustManager(String pem) throws GeneralSecurityException {
    KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      extra.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException(e); // an empty in-memory store reads nothing
    }
    List<X509Certificate> certs = parse(pem);
    for (int i = 0; i < certs.size(); i++) {
      extra.setCertificateEntry("trusted-" + i, certs.get(i));
    }
    return new EitherTrustManager(trustManagerOf(null), trustManagerOf(extra));
  }

  /**
   * The JDK's trust manager over a store; null for the default store (cacerts, or
   * javax.net.ssl.trustStore).
   */
  private static X509ExtendedTrustManager trustManagerOf(KeyStore store)
      throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("the JDK has no X.509 trust manager");
  }
}
