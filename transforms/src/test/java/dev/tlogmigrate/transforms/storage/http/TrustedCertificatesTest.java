package dev.tlogmigrate.transforms.storage.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * Extra certificates add to the JDK's default trust and never replace it. (The handshakes
 * themselves, with a CA made at test time, are in the launcher's HttpsSourceTest.)
 */
class TrustedCertificatesTest {
  @Test
  void extraCertificatesAddToTheDefaultTrust() throws Exception {
    List<X509Certificate> defaults = List.of(defaultTrust().getAcceptedIssuers());
    assertTrue(defaults.size() > 10, "the JDK trusts " + defaults.size() + " CAs");
    X509Certificate extra = defaults.get(0);

    Set<X509Certificate> trusted =
        new HashSet<>(List.of(TrustedCertificates.trustManager(pem(extra)).getAcceptedIssuers()));

    assertEquals(new HashSet<>(defaults), trusted);
  }

  @Test
  void textWithoutCertificatesIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                HttpSettings.builder()
                    .trustedCertificatesPem(
                        "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----\n")
                    .build());
    assertTrue(e.getMessage().startsWith("trusted certificates: "), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> HttpSettings.builder().trustedCertificatesPem("").build());
  }

  private static X509TrustManager defaultTrust() throws Exception {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }

  private static String pem(X509Certificate cert) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
