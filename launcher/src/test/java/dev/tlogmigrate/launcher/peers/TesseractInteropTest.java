package dev.tlogmigrate.launcher.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.Directories;
import dev.tlogmigrate.launcher.testing.GzipDataTiles;
import dev.tlogmigrate.launcher.testing.SameLogFiles;
import dev.tlogmigrate.launcher.testing.TileLeafBytes;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import dev.tlogmigrate.transforms.generate.Rfc6962NoteSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real CT logs: TesseraCT v0.1.1, built from src/test/go/tesseract, logs the certificate and
 * pre-certificate chains ctharness submits in parallel (through two intermediates to our root), and
 * publishes checkpoints as it goes. tlog-migrate copies these logs; TesseraCT continues a copy;
 * tlog-migrate copies the grown log afresh and into an older copy; hostile variants of the real log
 * are refused, naming what is wrong.
 */
class TesseractInteropTest {
  static final String ORIGIN = "tesseract.tlog-migrate.test/";
  static final int BOUNDARY = 256; // ends on a tile boundary
  static final int UNEVEN = 2500; // 9 full tiles and 196 entries
  static final int MORE = 300; // what TesseraCT adds to a copy: bundle 9 fills, 10 starts

  @TempDir static Path shared;
  static Tesseract tesseract;
  static Path boundary;
  static Path uneven;

  /** A pre-certificate chain the uneven log holds at keptIndex. */
  static Path kept;

  static long keptIndex;

  @TempDir Path tmp;

  @BeforeAll
  static void writeLogs() throws Exception {
    tesseract = Tesseract.withNewPki(shared.resolve("pki"));
    boundary = shared.resolve("boundary");
    write(boundary, BOUNDARY, shared.resolve("boundary-kept.json"));
    uneven = shared.resolve("uneven");
    kept = shared.resolve("uneven-kept.json");
    keptIndex = write(uneven, UNEVEN, kept);
  }

  /** TesseraCT logs n chains into storage, keeping every partial; the index of the one kept. */
  private static long write(Path storage, int n, Path kept) throws Exception {
    try (TesseractServer server = tesseract.start(storage, origin(storage), Duration.ZERO)) {
      List<Long> indices = server.submit(1, n, kept);
      assertEquals(LongStream.range(0, n).boxed().toList(), indices.stream().sorted().toList());
      server.awaitCheckpoint(n);
      // With its antispam database the log answers a resubmission with the entry it holds.
      assertEquals(indices.get(0), server.resubmit(kept));
      return indices.get(0);
    }
  }

  private static String origin(Path storage) {
    return ORIGIN + storage.getFileName();
  }

  private Cli.Result migrate(String from, Path to) throws IOException {
    return Cli.run(
        "--format=static-ct",
        "--source=" + from,
        "--destination=" + to,
        "--sourcePublicKey=" + tesseract.publicKey(),
        "--enforceImmutability=true",
        "--enforceEncodability=true",
        "--progressIntervalSeconds=0");
  }

  @Test
  void logEndingOnATileBoundaryFromTheDirectory() throws Exception {
    Path copy = tmp.resolve("copy");

    Cli.Result r = migrate(boundary.toString(), copy);

    assertEquals(0, r.status(), r.all());
    SameLogFiles.assertSameLog(boundary, copy);
    assertRootIsTheCheckpoints(copy);
  }

  @Test
  void unevenLogOverHttpWithPlainAndGzippedDataTiles() throws Exception {
    Path copy = tmp.resolve("copy");
    Set<String> gzipped = ConcurrentHashMap.newKeySet();
    Set<String> plain = ConcurrentHashMap.newKeySet();
    // Data tiles with an odd index are sent with Content-Encoding: gzip, the others plain.
    GzipDataTiles handler =
        new GzipDataTiles(
            uneven,
            path -> {
              String index = path.replaceAll("\\.p/\\d+$", "");
              boolean odd = (index.charAt(index.length() - 1) - '0') % 2 == 1;
              (odd ? gzipped : plain).add(path);
              return odd;
            });

    try (StaticLogServer server = new StaticLogServer(uneven, 0, handler)) {
      Cli.Result r = migrate(server.url(), copy);
      assertEquals(0, r.status(), r.all());
    }

    assertTrue(
        gzipped.contains("/tile/data/009.p/196") && plain.contains("/tile/data/008"),
        gzipped + " " + plain);
    SameLogFiles.assertSameLog(uneven, copy);
    assertRootIsTheCheckpoints(copy);
  }

  @Test
  void tesseractContinuesACopyThatIsThenCopiedAfreshAndIncrementally() throws Exception {
    Path copy = tmp.resolve("copy");
    assertEquals(0, migrate(uneven.toString(), copy).status());
    Path older = Directories.copy(copy, tmp.resolve("older"));

    try (TesseractServer server = tesseract.start(copy, origin(uneven), Duration.ofSeconds(1))) {
      List<Long> indices = server.submit(UNEVEN + 1, MORE, null);
      assertEquals(
          LongStream.range(UNEVEN, UNEVEN + MORE).boxed().toList(),
          indices.stream().sorted().toList());
      server.awaitCheckpoint(UNEVEN + MORE);
      // Without the source's antispam database TesseraCT rebuilds one by reading the copied data
      // tiles from index 0 (its follower runs every second); after that it recognises old entries.
      Thread.sleep(2000);
      assertEquals(
          keptIndex,
          server.resubmit(kept),
          "a resubmitted chain of the copied log was sequenced again");
    }
    assertRootIsTheCheckpoints(copy);

    Path fresh = tmp.resolve("fresh");
    Cli.Result r = migrate(copy.toString(), fresh);
    assertEquals(0, r.status(), r.all());
    SameLogFiles.assertSameLog(copy, fresh);

    r = migrate(copy.toString(), older);
    assertEquals(0, r.status(), r.all());
    assertTrue(
        r.out().contains("committed size " + UNEVEN + "; copying " + MORE + " entries"), r.out());
    SameLogFiles.assertSameLog(copy, older);
  }

  @Test
  void missingIssuerIsNamed() throws Exception {
    Path source = publishedCopy(boundary);
    Path issuer = issuers(source).get(0);
    Files.delete(issuer);

    Cli.Result r = failing(source);

    assertTrue(
        r.err()
            .contains(
                "issuer/"
                    + issuer.getFileName()
                    + ": issuer missing from the source (referenced by entry "),
        r.err());
  }

  @Test
  void issuerNotHashingToItsNameIsNamed() throws Exception {
    Path source = publishedCopy(boundary);
    List<Path> issuers = issuers(source);
    Files.copy(issuers.get(1), issuers.get(0), StandardCopyOption.REPLACE_EXISTING);

    Cli.Result r = failing(source);

    assertTrue(
        r.err()
            .contains(
                "issuer/"
                    + issuers.get(0).getFileName()
                    + ": wrong issuer certificate (referenced by entry "),
        r.err());
  }

  @Test
  void dataTileWithAnAlteredLeafIndexIsNamed() throws Exception {
    Path source = publishedCopy(boundary);
    Path tile = source.resolve("tile/data/000");
    byte[] b = Files.readAllBytes(tile);
    b[TileLeafBytes.leafIndexLastByte(b)] ^= 1; // entry 0 now claims 1
    Files.write(tile, b);

    Cli.Result r = failing(source);

    assertTrue(
        r.err().contains("tile/data/000: record 0: leaf_index 1 in the entry at index 0"), r.err());
  }

  @Test
  void checkpointSignedByAnotherKeyIsRefused() throws Exception {
    Path source = publishedCopy(boundary);
    Path checkpoint = source.resolve("checkpoint");
    String text = Files.readString(checkpoint, StandardCharsets.UTF_8);
    Rfc6962NoteSigner other = Rfc6962NoteSigner.fromSeed(origin(boundary), new byte[] {7});
    Files.write(checkpoint, other.sign(text.substring(0, text.indexOf("\n\n") + 1)));

    Cli.Result r = failing(source);

    assertTrue(
        r.err().contains("checkpoint")
            && r.err().contains("no signature by " + origin(boundary) + "+"),
        r.err());
  }

  /** What the log publishes (checkpoint, tiles, issuers), without TesseraCT's private state. */
  private Path publishedCopy(Path log) throws IOException {
    Path copy = tmp.resolve("source");
    Directories.copy(log.resolve("tile"), copy.resolve("tile"));
    Directories.copy(log.resolve("issuer"), copy.resolve("issuer"));
    Files.copy(log.resolve("checkpoint"), copy.resolve("checkpoint"));
    return copy;
  }

  private static List<Path> issuers(Path log) throws IOException {
    try (Stream<Path> s = Files.list(log.resolve("issuer"))) {
      return s.sorted().toList();
    }
  }

  private Cli.Result failing(Path source) throws IOException {
    Path destination = tmp.resolve("destination");
    Cli.Result r = migrate(source.toString(), destination);
    assertEquals(1, r.status(), r.all());
    assertEquals(1, r.err().lines().count(), r.err());
    TreeAssertions.assertTreeState(destination, null);
    return r;
  }

  /** The copy's tree state has the size and root of the checkpoint TesseraCT signed. */
  private static void assertRootIsTheCheckpoints(Path copy) throws IOException {
    String[] checkpoint =
        Files.readString(copy.resolve("checkpoint"), StandardCharsets.UTF_8).split("\n");
    assertEquals(
        "{\"size\":" + checkpoint[1] + ",\"root\":\"" + checkpoint[2] + "\"}",
        Files.readString(copy.resolve(".state/treeState"), StandardCharsets.UTF_8));
  }
}
