package dev.tlogmigrate.launcher.tools;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority made on the spot with the JDK's keytool, valid for two days, for HTTPS on
 * loopback in tests and the benchmark: nothing that expires is checked in. It issues certificates
 * for one server key, each with the names and validity a test asks for.
 */
public final class ThrowawayCa {
  private static final char[] PASSWORD = "throwaway".toCharArray();

  private final Path dir;
  private final String certificatePem;
  private final Certificate certificate;
  private final PrivateKey serverKey;
  private int issued;

  /** Makes the CA and the server's key in dir (keytool's files stay there). */
  public ThrowawayCa(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    keytool(
        "-genkeypair",
        "-keystore",
        "ca.p12",
        "-alias",
        "ca",
        "-dname",
        "CN=tlog-migrate throwaway CA",
        "-ext",
        "bc:c",
        "-validity",
        "2");
    keytool("-exportcert", "-rfc", "-keystore", "ca.p12", "-alias", "ca", "-file", "ca.pem");
    keytool(
        "-genkeypair",
        "-keystore",
        "server.p12",
        "-alias",
        "server",
        "-dname",
        "CN=tlog-migrate test server",
        "-validity",
        "2");
    keytool("-certreq", "-keystore", "server.p12", "-alias", "server", "-file", "server.csr");
    certificatePem = Files.readString(dir.resolve("ca.pem"), StandardCharsets.US_ASCII);
    try {
      certificate = certificates(certificatePem).get(0);
      KeyStore server = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(dir.resolve("server.p12"))) {
        server.load(in, PASSWORD);
      }
      serverKey = (PrivateKey) server.getKey("server", PASSWORD);
    } catch (GeneralSecurityException e) {
      throw new IOException("keytool's output does not load: " + e.getMessage(), e);
    }
  }

  /** The CA's certificate, PEM: what a client trusts to reach servers it issued for. */
  public String certificatePem() {
    return certificatePem;
  }

  /** A server context for 127.0.0.1, valid from now for a day. */
  public SSLContext serverContext() throws IOException {
    return serverContext("ip:127.0.0.1", null);
  }

  /**
   * A server context whose certificate names {@code san} (keytool's form: ip:..., dns:...) and
   * starts at {@code startDate} (keytool's form, e.g. -3d; null for now), valid for a day.
   */
  public synchronized SSLContext serverContext(String san, String startDate) throws IOException {
    issued++;
    String file = "server-" + issued + ".pem";
    List<String> args =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-rfc",
                "-keystore",
                "ca.p12",
                "-alias",
                "ca",
                "-infile",
                "server.csr",
                "-outfile",
                file,
                "-ext",
                "san=" + san,
                "-ext",
                "eku=serverAuth",
                "-validity",
                "1"));
    if (startDate != null) {
      args.addAll(List.of("-startdate", startDate));
    }
    keytool(args.toArray(String[]::new));
    try {
      Certificate leaf =
          certificates(Files.readString(dir.resolve(file), StandardCharsets.US_ASCII)).get(0);
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("server", serverKey, PASSWORD, new Certificate[] {leaf, certificate});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot serve the certificate keytool made: " + e.getMessage(), e);
    }
  }

  private static List<? extends Certificate> certificates(String pem)
      throws GeneralSecurityException {
    return new ArrayList<>(
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
  }

  /**
   * Runs the JDK's keytool in dir, with EC P-256 keys and the store password; fails on a non-zero
   * exit.
   */
  private void keytool(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1",
                args[0],
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD)));
    command.addAll(List.of(args).subList(1, args.length));
    if (args[0].equals("-genkeypair")) {
      command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1"));
    }
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException("keytool " + String.join(" ", args) + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
  }
}
