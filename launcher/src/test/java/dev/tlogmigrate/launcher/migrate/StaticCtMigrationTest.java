package dev.tlogmigrate.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.GzipDataTiles;
import dev.tlogmigrate.launcher.testing.StaticCtTestLog;
import dev.tlogmigrate.launcher.testing.TileLeafBytes;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.testing.Witness;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.generate.Rfc6962NoteSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * static-ct-api logs: data tiles, issuers and 0x05 checkpoint signatures, gzip at rest and in
 * transit, and witness quorums. Failures leave the tree state untouched and name what is wrong.
 */
class StaticCtMigrationTest {
  private static final Rfc6962NoteSigner LOG_KEY = StaticCtTestLog.LOG_KEY;
  private static final String PUBLIC_KEY = StaticCtTestLog.PUBLIC_KEY;
  private static final long SIZE = StaticCtTestLog.SIZE;

  @TempDir Path tmp;
  Path source;
  Path destination;

  @BeforeEach
  void setUp() throws Exception {
    source = tmp.resolve("source");
    new LogGenerator(source, LOG_KEY, LogFormat.STATIC_CT, 5, 200, 1500).generate(SIZE);
    destination = tmp.resolve("destination");
  }

  private Cli.Result migrate(String from, String... keyFlags) {
    String[] flags =
        Stream.concat(Stream.of("--format=static-ct"), Stream.of(keyFlags)).toArray(String[]::new);
    return Cli.run(
        Stream.concat(
                Stream.of(
                    "--source=" + from,
                    "--destination=" + destination,
                    "--enforceImmutability=true",
                    "--enforceEncodability=true",
                    "--progressIntervalSeconds=0"),
                Stream.of(flags))
            .toArray(String[]::new));
  }

  private Cli.Result failing(String... keyFlags) throws IOException {
    Cli.Result r = migrate(source.toString(), keyFlags);
    assertEquals(1, r.status(), r.all());
    assertEquals(1, r.err().lines().count(), r.err());
    TreeAssertions.assertTreeState(destination, null);
    return r;
  }

  @Test
  void fromDirectoryWithGzippedDataTilesAndThePublicKey() throws Exception {
    Path plain = tmp.resolve("plain");
    new LogGenerator(plain, LOG_KEY, LogFormat.STATIC_CT, 5, 200, 1500).generate(SIZE);
    try (Stream<Path> tiles = Files.walk(source.resolve("tile/data"))) {
      for (Path t : tiles.filter(Files::isRegularFile).toList()) {
        Files.write(t, GzipDataTiles.gzip(Files.readAllBytes(t))); // as Sunlight stores them
      }
    }

    Cli.Result r = migrate(source.toString(), "--sourcePublicKey=" + PUBLIC_KEY);

    assertEquals(0, r.status(), r.all());
    // Written back canonical: uncompressed data tiles, issuers included, the rest byte for byte.
    Files.copy(
        source.resolve("checkpoint"),
        plain.resolve("checkpoint"),
        StandardCopyOption.REPLACE_EXISTING);
    TreeAssertions.assertSameFiles(plain, destination);
  }

  @Test
  void overHttpWithGzipEncodingAndAWitnessQuorum() throws Exception {
    Witness a = new Witness("witness-a.example");
    Witness b = new Witness("witness-b.example");
    Path checkpoint = source.resolve("checkpoint");
    Files.write(checkpoint, b.cosign(a.cosign(Files.readAllBytes(checkpoint))));
    try (StaticLogServer server =
        new StaticLogServer(source, 0, new GzipDataTiles(source, path -> true))) {
      Cli.Result r =
          migrate(
              server.url(),
              "--sourceVerifierKey=" + LOG_KEY.verifierKey(),
              "--witnessKey=" + a.verifierKey(),
              "--witnessKey=" + b.verifierKey(),
              "--witnessQuorum=2");
      assertEquals(0, r.status(), r.all());
    }
    TreeAssertions.assertSameFiles(source, destination);
  }

  @Test
  void quorumNotMetIsRefused() throws Exception {
    Witness a = new Witness("witness-a.example");
    Witness b = new Witness("witness-b.example");
    Path checkpoint = source.resolve("checkpoint");
    Files.write(checkpoint, a.cosign(Files.readAllBytes(checkpoint)));

    Cli.Result r =
        failing(
            "--sourcePublicKey=" + PUBLIC_KEY,
            "--witnessKey=" + a.verifierKey(),
            "--witnessKey=" + b.verifierKey(),
            "--witnessQuorum=2");

    assertTrue(r.err().contains("cosigned by 1 of the 2 required witnesses"), r.err());
  }

  @Test
  void checkpointSignedByAnotherKeyIsRefused() throws Exception {
    Rfc6962NoteSigner other = Rfc6962NoteSigner.fromSeed("ct.example.com/2026h1", new byte[] {43});

    Cli.Result r =
        failing("--sourcePublicKey=" + Base64.getEncoder().encodeToString(other.publicKey()));

    assertTrue(r.err().contains("no signature by ct.example.com/2026h1+"), r.err());
  }

  @Test
  void missingIssuerFailsNamingItAndAnEntry() throws Exception {
    Path issuer;
    try (Stream<Path> s = Files.list(source.resolve("issuer"))) {
      issuer = s.findFirst().orElseThrow();
    }
    Files.delete(issuer);

    Cli.Result r = failing("--sourcePublicKey=" + PUBLIC_KEY);

    assertTrue(
        r.err()
            .contains(
                "issuer/"
                    + issuer.getFileName()
                    + ": issuer missing from the source (referenced by entry "),
        r.err());
  }

  @Test
  void wrongIssuerFails() throws Exception {
    Path issuer;
    try (Stream<Path> s = Files.list(source.resolve("issuer"))) {
      issuer = s.sorted().toList().get(1);
    }
    Files.write(issuer, "not the certificate".getBytes(StandardCharsets.UTF_8));

    Cli.Result r = failing("--sourcePublicKey=" + PUBLIC_KEY);

    assertTrue(
        r.err()
            .contains(
                "issuer/"
                    + issuer.getFileName()
                    + ": wrong issuer certificate (referenced by entry "),
        r.err());
  }

  @Test
  void corruptTileLeafIsNamed() throws Exception {
    Path tile = source.resolve("tile/data/001");
    byte[] b = Files.readAllBytes(tile);
    b[9] = 7; // entry_type of record 0: neither x509 (0) nor precert (1)
    Files.write(tile, b);

    Cli.Result r = failing("--sourcePublicKey=" + PUBLIC_KEY);

    assertTrue(r.err().contains("tile/data/001: record 0: entry_type 7"), r.err());
  }

  @Test
  void entryClaimingAnotherLeafIndexIsNamed() throws Exception {
    Path tile = source.resolve("tile/data/001");
    byte[] b = Files.readAllBytes(tile);
    b[TileLeafBytes.leafIndexLastByte(b)] ^= 1; // entry 256 now claims 257
    Files.write(tile, b);

    Cli.Result r = failing("--sourcePublicKey=" + PUBLIC_KEY);

    assertTrue(
        r.err().contains("tile/data/001: record 0: leaf_index 257 in the entry at index 256"),
        r.err());
  }
}
