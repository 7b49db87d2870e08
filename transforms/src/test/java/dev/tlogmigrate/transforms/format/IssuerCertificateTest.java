package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * issuer/<fingerprint> bodies against their names, and against what an issuer is: one DER X.509
 * certificate. The certificate is a real one, the first root of the JDK's own trust store.
 */
class IssuerCertificateTest {
  private static final byte[] BODY = aRealCertificate();
  private static final String FINGERPRINT = TestData.hex(TestData.sha256().digest(BODY));

  /** Skylight's test issuer: correctly named, but text, not a certificate. */
  private static final String SKYLIGHT =
      "76a2d477b477d00f6fe635ec3faf0984b0584127ab6ea9c46b1dd569496b5c3d";

  private static byte[] aRealCertificate() {
    try (InputStream in =
        Files.newInputStream(Path.of(System.getProperty("java.home"), "lib/security/cacerts"))) {
      KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
      cacerts.load(in, null);
      String alias = Collections.min(Collections.list(cacerts.aliases()));
      return ((X509Certificate) cacerts.getCertificate(alias)).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException("the JDK's trust store", e);
    }
  }

  private static String fingerprint(byte[] body) {
    return TestData.hex(TestData.sha256().digest(body));
  }

  private static String refusal(byte[] body) {
    return assertThrows(
            InvalidLogException.class, () -> IssuerCertificate.verify(fingerprint(body), body))
        .getMessage();
  }

  @Test
  void aDerCertificateHashingToItsNamePasses() {
    IssuerCertificate.verify(FINGERPRINT, BODY);
    assertEquals("issuer/" + FINGERPRINT, IssuerCertificate.resource(FINGERPRINT));
  }

  @Test
  void otherBodyFailsNamingTheFingerprint() {
    byte[] other = BODY.clone();
    other[0] ^= 1;
    String actual = TestData.hex(TestData.sha256().digest(other));
    assertEquals(
        "issuer/" + FINGERPRINT + ": body of " + other.length + " bytes has SHA-256 " + actual,
        assertThrows(InvalidLogException.class, () -> IssuerCertificate.verify(FINGERPRINT, other))
            .getMessage());
  }

  @Test
  void aCorrectlyNamedBodyThatIsNotOneDerCertificateIsRefusedNamingIt() {
    byte[] skylight = TestData.resource("static-ct/skylight/tree/issuer/" + SKYLIGHT);
    assertEquals(
        "issuer/" + SKYLIGHT + ": not one DER certificate: it does not start with a DER SEQUENCE",
        refusal(skylight));

    byte[] pem =
        ("-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(BODY)
                + "\n-----END CERTIFICATE-----\n")
            .getBytes(StandardCharsets.US_ASCII);
    assertEquals(
        "issuer/"
            + fingerprint(pem)
            + ": not one DER certificate: it does not start with a DER SEQUENCE",
        refusal(pem));

    byte[] chain = new byte[BODY.length * 2];
    System.arraycopy(BODY, 0, chain, 0, BODY.length);
    System.arraycopy(BODY, 0, chain, BODY.length, BODY.length);
    assertEquals(
        "issuer/"
            + fingerprint(chain)
            + ": not one DER certificate: its DER SEQUENCE is "
            + BODY.length
            + " bytes, the body "
            + chain.length
            + ": something follows the certificate",
        refusal(chain));

    byte[] notACertificate = {0x30, 0x03, 0x02, 0x01, 0x05}; // SEQUENCE { INTEGER 5 }
    String e = refusal(notACertificate);
    assertTrue(
        e.startsWith(
            "issuer/"
                + fingerprint(notACertificate)
                + ": not one DER certificate: not an X.509 certificate ("),
        e);
  }

  @Test
  void nameMustBeLowercaseHexSha256() {
    assertThrows(
        InvalidLogException.class,
        () -> IssuerCertificate.verify(FINGERPRINT.toUpperCase(Locale.ROOT), BODY));
    assertThrows(
        InvalidLogException.class, () -> IssuerCertificate.verify(FINGERPRINT.substring(2), BODY));
    assertThrows(
        InvalidLogException.class, () -> IssuerCertificate.verify("../" + FINGERPRINT, BODY));
  }
}
