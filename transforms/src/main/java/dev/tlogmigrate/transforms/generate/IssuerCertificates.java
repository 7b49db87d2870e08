package dev.tlogmigrate.transforms.generate;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/**
 * Issuer certificates for generated static-ct logs: real DER X.509 v3 CA certificates, self-signed
 * with a P-256 key, every byte drawn from a seed, so that a log regenerated at a larger size keeps
 * its issuers (and the fingerprints its entries reference).
 */
public final class IssuerCertificates {
  private static final byte[] ECDSA_WITH_SHA256 = {
    0x30, 0x0a, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02
  };
  private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
  private static final byte[] BASIC_CONSTRAINTS = {0x06, 0x03, 0x55, 0x1d, 0x13};

  private IssuerCertificates() {}

  /**
   * A self-signed CA certificate for {@code commonName}, the same for the same seed.
   *
   * @return its DER encoding
   */
  public static byte[] selfSigned(String commonName, byte[] seed) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), new SeededRandom(seed));
      KeyPair key = gen.generateKeyPair();
      byte[] name = der(0x30, der(0x31, der(0x30, COMMON_NAME, utf8(commonName))));
      byte[] serialBytes = new byte[8];
      new SeededRandom(name).nextBytes(serialBytes);
      serialBytes[0] = (byte) ((serialBytes[0] & 0x7f) | 0x40); // positive, in 8 bytes exactly
      byte[] serial = der(0x02, serialBytes);
      byte[] validity =
          der(0x30, der(0x17, ascii("260101000000Z")), der(0x17, ascii("361231235959Z")));
      byte[] caTrue = der(0x04, der(0x30, der(0x01, new byte[] {(byte) 0xff})));
      byte[] extensions =
          der(
              0xa3,
              der(0x30, der(0x30, BASIC_CONSTRAINTS, der(0x01, new byte[] {(byte) 0xff}), caTrue)));
      byte[] tbs =
          der(
              0x30,
              der(0xa0, der(0x02, new byte[] {2})), // v3
              serial,
              ECDSA_WITH_SHA256,
              name,
              validity,
              name,
              key.getPublic().getEncoded(),
              extensions);
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key.getPrivate(), new SeededRandom(tbs));
      s.update(tbs);
      byte[] signature = s.sign();
      byte[] bits = new byte[signature.length + 1]; // no unused bits
      System.arraycopy(signature, 0, bits, 1, signature.length);
      return der(0x30, tbs, ECDSA_WITH_SHA256, der(0x03, bits));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no P-256 ECDSA in this JDK", e);
    }
  }

  private static byte[] utf8(String s) {
    return der(0x0c, s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A DER TLV: the tag, the definite length, the contents. */
  private static byte[] der(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    int n = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream(n + 4);
    out.write(tag);
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
