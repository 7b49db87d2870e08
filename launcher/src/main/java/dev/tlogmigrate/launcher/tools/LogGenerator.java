package dev.tlogmigrate.launcher.tools;

import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.EntryBundle;
import dev.tlogmigrate.transforms.format.IssuerCertificate;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TilePath;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.generate.CheckpointSigner;
import dev.tlogmigrate.transforms.generate.IssuerCertificates;
import dev.tlogmigrate.transforms.generate.NoteSigner;
import dev.tlogmigrate.transforms.generate.Rfc6962NoteSigner;
import dev.tlogmigrate.transforms.generate.TileLeafEncoder;
import dev.tlogmigrate.transforms.generate.TreeBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a signed log of any size in Tessera's POSIX layout: a tlog-tiles log (bundles), or a
 * static-ct-api log (data tiles of x509 and precert entries with leaf_index extensions, and their
 * issuers); every full hash tile, the right-edge partials, the checkpoint and {@code .state/}.
 * Entry i is a function of (seed, i) alone, so a log regenerated at a larger size extends the
 * smaller one.
 */
public final class LogGenerator {
  /** A public test key: logs made with it prove nothing about anyone. */
  public static final String TEST_SIGNER_KEY =
      NoteSigner.signerKey("example.com/tlog-migrate/example", new byte[32]);

  /** Issuers of generated static-ct logs: a small pool, so that entries share them. */
  static final int ISSUERS = 5;

  private final Path dir;
  private final CheckpointSigner signer;
  private final LogFormat format;
  private final long seed;
  private final int minEntry;
  private final int maxEntry;

  public LogGenerator(
      Path dir, CheckpointSigner signer, LogFormat format, long seed, int minEntry, int maxEntry) {
    if (minEntry < 0 || maxEntry > EntryBundle.MAX_ENTRY_SIZE || minEntry > maxEntry) {
      throw new IllegalArgumentException("entry sizes must satisfy 0 <= min <= max <= 65535");
    }
    this.dir = dir;
    this.signer = signer;
    this.format = format;
    this.seed = seed;
    this.minEntry = minEntry;
    this.maxEntry = maxEntry;
  }

  public LogGenerator(Path dir, CheckpointSigner signer, long seed, int minEntry, int maxEntry) {
    this(dir, signer, LogFormat.TLOG_TILES, seed, minEntry, maxEntry);
  }

  public static final String SUMMARY =
      "Writes a signed test log (random entries, every tile, the checkpoint) into a directory.";

  public static final List<Flags.Flag> FLAGS =
      List.of(
          Flags.Flag.required("output", "the directory to write the log into"),
          Flags.Flag.optional("size", "1000", "the number of entries"),
          Flags.Flag.optional(
              "format", "tlog-tiles", "tlog-tiles, or static-ct (data tiles, issuers)"),
          Flags.Flag.optional(
              "signerKey",
              TEST_SIGNER_KEY,
              "a tlog-tiles log's Ed25519 note signer key (PRIVATE+...); the default is a public"
                  + " test key"),
          Flags.Flag.optional(
              "origin",
              "ct.example.com/tlog-migrate/test",
              "a static-ct log's origin; its key is derived from --seed"),
          Flags.Flag.optional("seed", "1", "seeds the entries (and a static-ct log's key)"),
          Flags.Flag.optional("minEntrySize", "200", "the smallest entry, in bytes"),
          Flags.Flag.optional("maxEntrySize", "1800", "the largest entry, in bytes"));

  public static void main(String[] args, PrintStream out) throws IOException {
    Flags f = new Flags(args, FLAGS);
    LogFormat format = LogFormat.fromFlag(f.get("format"));
    long seed = f.getLong("seed");
    CheckpointSigner signer =
        format == LogFormat.STATIC_CT
            ? Rfc6962NoteSigner.fromSeed(f.get("origin"), longBytes(seed))
            : NoteSigner.parse(f.get("signerKey"));
    LogGenerator g =
        new LogGenerator(
            Path.of(f.get("output")),
            signer,
            format,
            seed,
            (int) f.getLong("minEntrySize"),
            (int) f.getLong("maxEntrySize"));
    long size = f.getLong("size");
    long started = System.nanoTime();
    TreeState state = g.generate(size);
    out.printf(
        "wrote a %s log of %d entries to %s in %.1f s%nroot %s%nverifier key %s%n",
        format.flag(),
        size,
        g.dir,
        (System.nanoTime() - started) / 1e9,
        state.rootBase64(),
        signer.verifierKey());
    if (signer instanceof Rfc6962NoteSigner ct) {
      out.println("public key " + Base64.getEncoder().encodeToString(ct.publicKey()));
    }
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  /** Entry i of a tlog-tiles log: printable ASCII of a length between min and max. */
  public byte[] entry(long i) {
    SplittableRandom r = random(i);
    return text(r, "entry " + i + " ", length(r));
  }

  private SplittableRandom random(long i) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
  }

  private int length(SplittableRandom r) {
    return minEntry + r.nextInt(maxEntry - minEntry + 1);
  }

  private static byte[] text(SplittableRandom r, String head, int len) {
    byte[] e = new byte[len];
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(h, 0, e, 0, Math.min(h.length, len));
    for (int j = h.length; j < len; j++) {
      e[j] = (byte) ('a' + r.nextInt(26));
    }
    return e;
  }

  /** Issuer k of a static-ct log: a self-signed CA certificate drawn from (seed, k). */
  byte[] issuer(int k) {
    byte[] issuerSeed =
        ByteBuffer.allocate(16).putLong(seed).putLong(-1 - k).array(); // never an entry's (seed, i)
    return IssuerCertificates.selfSigned("tlog-migrate test issuer " + k, issuerSeed);
  }

  /**
   * Entry i of a static-ct log: an x509 or (one in three) a precert TileLeaf, chained to 1-2
   * issuers.
   */
  byte[] tileLeaf(long i, List<byte[]> issuerHashes) {
    SplittableRandom r = random(i);
    byte[] cert = text(r, "certificate " + i + " ", Math.max(32, length(r)));
    List<byte[]> chain = new ArrayList<>();
    chain.add(issuerHashes.get(r.nextInt(ISSUERS)));
    if (r.nextBoolean()) {
      chain.add(issuerHashes.get(r.nextInt(ISSUERS)));
    }
    long timestamp = 1_767_139_200_000L + i;
    byte[] extensions = TileLeafEncoder.leafIndexExtension(i);
    if (r.nextInt(3) == 0) {
      byte[] issuerKeyHash = Rfc6962.sha256().digest(chain.get(0));
      return TileLeafEncoder.precert(
          timestamp, issuerKeyHash, cert, extensions, text(r, "precert ", cert.length + 40), chain);
    }
    return TileLeafEncoder.x509(timestamp, cert, extensions, chain);
  }

  public TreeState generate(long size) throws IOException {
    List<byte[]> issuerHashes = new ArrayList<>();
    if (format == LogFormat.STATIC_CT) {
      for (int k = 0; k < ISSUERS; k++) {
        byte[] der = issuer(k);
        byte[] hash = Rfc6962.sha256().digest(der);
        issuerHashes.add(hash);
        write(IssuerCertificate.resource(HexFormat.of().formatHex(hash)), der);
      }
    }
    MessageDigest md = Rfc6962.sha256();
    TreeBuilder tree = new TreeBuilder((path, tile) -> write(path.path(), tile));
    for (long b = 0; b < Tiles.bundleCount(size); b++) {
      int width = Tiles.bundleWidth(size, b);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      List<byte[]> entries = new ArrayList<>(width);
      for (int j = 0; j < width; j++) {
        long i = b * Tiles.WIDTH + j;
        if (format == LogFormat.STATIC_CT) {
          bytes.writeBytes(tileLeaf(i, issuerHashes));
        } else {
          entries.add(entry(i));
        }
      }
      byte[] tile =
          format == LogFormat.STATIC_CT ? bytes.toByteArray() : EntryBundle.encode(entries);
      TilePath path = format.tilePath(b, width);
      byte[] hashes = format.parse(tile, width, false, path.path()).leafHashes(md);
      for (int j = 0; j < width; j++) {
        tree.appendLeafHash(
            Arrays.copyOfRange(hashes, j * Tiles.HASH_SIZE, (j + 1) * Tiles.HASH_SIZE));
      }
      write(path.path(), tile);
    }
    TreeEdge edge = tree.edge();
    for (int level = 0; level <= Tiles.topLevel(size); level++) {
      byte[] tile = edge.tile(level);
      if (tile != null) {
        write(
            TilePath.hashTile(level, Tiles.edgeIndex(size, level), tile.length / Tiles.HASH_SIZE)
                .path(),
            tile);
      }
    }
    TreeState state = new TreeState(size, edge.root());
    write(".state/version", new byte[] {'1'});
    write(".state/treeState", state.toJson());
    write("checkpoint", signer.sign(Checkpoint.text(signer.name(), size, state.root())));
    return state;
  }

  private void write(String path, byte[] data) {
    try {
      Path p = dir.resolve(path);
      Files.createDirectories(p.getParent());
      Files.write(p, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
