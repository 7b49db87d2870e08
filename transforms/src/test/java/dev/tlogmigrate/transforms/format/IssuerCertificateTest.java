package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * issuer/<fingerprint> bodies against their names (Skylight's issuer is fake but correctly named).
 */
class IssuerCertificateTest {
  private static final String FINGERPRINT =
      "76a2d477b477d00f6fe635ec3faf0984b0584127ab6ea9c46b1dd569496b5c3d";
  private static final byte[] BODY =
      TestData.resource("static-ct/skylight/tree/issuer/" + FINGERPRINT);

  @Test
  void bodyHashingToItsNamePasses() {
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
