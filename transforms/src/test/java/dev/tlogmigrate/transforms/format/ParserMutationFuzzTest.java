package dev.tlogmigrate.transforms.format;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.generate.TileLeafEncoder;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A mutation fuzzer for the parsers of untrusted input (entry bundles, data tiles, tile paths,
 * signed notes and checkpoints, tree states, verifier keys): valid inputs from the test data, and
 * generated ones, damaged by stacked bit flips, byte edits, truncations, insertions, deletions,
 * duplications, length-prefix rewrites and splices with other valid inputs. Every mutant must meet
 * {@link ParserContracts}: only InvalidLogException / IllegalArgumentException, within a bound, and
 * consistent when accepted.
 *
 * <p>Seeded, so a failure reproduces: the message names the seed and the input. Run longer with
 * {@code -Dtlogmigrate.fuzz.iterations=200000 -Dtlogmigrate.fuzz.seed=<n>}. (Jazzer resolves here
 * and runs offline, but its agent instruments the whole test JVM, where Beam, the GCS fake and the
 * HTTP tests also run; see the report that introduced this test.)
 */
class ParserMutationFuzzTest {
  private static final long SEED = Long.getLong("tlogmigrate.fuzz.seed", 0x7106_0006L);
  private static final int ITERATIONS = Integer.getInteger("tlogmigrate.fuzz.iterations", 3000);
  private static final byte[] INTERESTING = {
    0,
    1,
    0x7f,
    (byte) 0x80,
    (byte) 0xff,
    '\n',
    '\r',
    ' ',
    '+',
    '/',
    '=',
    '-',
    '0',
    '9',
    'x',
    '.',
    (byte) 0xe2,
    (byte) 0x94,
    '{',
    '"'
  };

  /** A valid input and the width it is valid for (0 where there is none). */
  record Seed(byte[] data, int width) {}

  static final List<Seed> BUNDLES = new ArrayList<>();
  static final List<Seed> DATA_TILES = new ArrayList<>();
  static final List<Seed> NOTES = new ArrayList<>();
  static final List<Seed> PATHS = new ArrayList<>();
  static final List<Seed> TREE_STATES = new ArrayList<>();
  static final List<Seed> VKEYS = new ArrayList<>();

  @BeforeAll
  static void seeds() {
    Random r = new Random(SEED);
    // Entry bundles: Tessera's test log, and generated ones with empty, long and full-width
    // content.
    for (int w = 1; w <= 15; w++) {
      BUNDLES.add(new Seed(TestData.resource("tessera-log/tile/entries/000.p/" + w), w));
    }
    for (int width : new int[] {1, 2, 17, 255, 256}) {
      List<byte[]> entries = new ArrayList<>();
      for (int i = 0; i < width; i++) {
        byte[] e = new byte[i % 7 == 0 ? 0 : r.nextInt(i % 5 == 0 ? 300 : 20)];
        r.nextBytes(e);
        entries.add(e);
      }
      BUNDLES.add(new Seed(EntryBundle.encode(entries), width));
    }
    // Data tiles: generated TileLeaf records, x509 and precert, with chains.
    for (int width : new int[] {1, 3, 256}) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < width; i++) {
        List<byte[]> chain = new ArrayList<>();
        for (int c = 0; c < i % 3; c++) {
          byte[] h = new byte[32];
          r.nextBytes(h);
          chain.add(h);
        }
        byte[] cert = new byte[10 + r.nextInt(30)];
        r.nextBytes(cert);
        out.writeBytes(
            i % 2 == 0
                ? TileLeafEncoder.x509(
                    1_767_139_200_000L + i, cert, TileLeafEncoder.leafIndexExtension(i), chain)
                : TileLeafEncoder.precert(
                    1_767_139_200_000L + i,
                    new byte[32],
                    cert,
                    TileLeafEncoder.leafIndexExtension(i),
                    cert,
                    chain));
      }
      DATA_TILES.add(new Seed(out.toByteArray(), width));
    }
    // Signed notes: Tessera's checkpoints, and every note of the signed-note vectors.
    NOTES.add(new Seed(TestData.resource("tessera-log/checkpoint"), 0));
    for (int i = 0; i <= 15; i++) {
      NOTES.add(new Seed(TestData.resource("tessera-log/checkpoint." + i), 0));
    }
    for (String line : TestData.resourceString("note-vectors.txt").split("\n")) {
      if (line.startsWith("NOTE_B64: ")) {
        NOTES.add(new Seed(Base64.getDecoder().decode(line.substring(10).trim()), 0));
      } else if (line.startsWith("VKEY: ") || line.startsWith("VKEY_STRING: ")) {
        VKEYS.add(new Seed(line.substring(line.indexOf(' ') + 1).trim().getBytes(UTF_8), 0));
      }
    }
    optionalResource("static-ct/skylight/tree/checkpoint")
        .ifPresent(b -> NOTES.add(new Seed(b, 0)));
    // Tile paths: canonical ones across the whole range of coordinates.
    for (int i = 0; i < 40; i++) {
      int level = r.nextInt(Tiles.MAX_LEVEL + 2) - 1;
      long index =
          switch (i % 4) {
            case 0 -> r.nextInt(1000);
            case 1 -> r.nextInt(1_000_000_000);
            case 2 -> r.nextLong() & Long.MAX_VALUE;
            default -> (long) r.nextInt(5) * 1000;
          };
      int width = i % 3 == 0 ? Tiles.WIDTH : 1 + r.nextInt(Tiles.WIDTH - 1);
      TilePath p =
          level == -1 ? TilePath.entryBundle(index, width) : TilePath.hashTile(level, index, width);
      PATHS.add(new Seed(p.path().getBytes(UTF_8), 0));
    }
    // Tree states: Tessera's, and generated ones.
    TREE_STATES.add(new Seed(TestData.resource("tessera-log/.state/treeState"), 0));
    for (long size : new long[] {0, 1, 255, 256, 1L << 40, Long.MAX_VALUE}) {
      byte[] root = new byte[32];
      r.nextBytes(root);
      TREE_STATES.add(new Seed(new TreeState(size, root).toJson(), 0));
    }
    assertTrue(
        NOTES.size() > 30 && VKEYS.size() > 10,
        "test data missing: " + NOTES.size() + " notes, " + VKEYS.size() + " keys");
  }

  private static java.util.Optional<byte[]> optionalResource(String path) {
    try (InputStream in = ParserMutationFuzzTest.class.getResourceAsStream("/" + path)) {
      return in == null ? java.util.Optional.empty() : java.util.Optional.of(in.readAllBytes());
    } catch (java.io.IOException e) {
      return java.util.Optional.empty();
    }
  }

  // ---- The targets ----

  @Test
  void entryBundles() {
    fuzz(
        "entry bundles",
        BUNDLES,
        ITERATIONS,
        (m, seed, r) -> ParserContracts.bundle(m, widthFor(seed, r)));
  }

  @Test
  void dataTiles() {
    fuzz(
        "data tiles",
        DATA_TILES,
        ITERATIONS / 2,
        (m, seed, r) -> ParserContracts.dataTile(m, widthFor(seed, r)));
  }

  @Test
  void tilePaths() {
    fuzz(
        "tile paths",
        PATHS,
        ITERATIONS,
        (m, seed, r) -> ParserContracts.tilePath(new String(m, UTF_8)));
  }

  @Test
  void signedNotesAndCheckpoints() {
    fuzz("notes", NOTES, ITERATIONS, (m, seed, r) -> ParserContracts.note(m));
  }

  @Test
  void treeStates() {
    fuzz("tree states", TREE_STATES, ITERATIONS / 3, (m, seed, r) -> ParserContracts.treeState(m));
  }

  @Test
  void verifierKeys() {
    // Almost every damaged key fails its key ID check: no acceptance expected here.
    fuzz(
        "verifier keys",
        VKEYS,
        ITERATIONS / 3,
        (m, seed, r) -> ParserContracts.verifierKey(new String(m, UTF_8)),
        false);
  }

  /** Mostly the width the seed is valid for, sometimes one off, sometimes another partial width. */
  private static int widthFor(Seed seed, Random r) {
    int w =
        switch (r.nextInt(8)) {
          case 0 -> seed.width() - 1;
          case 1 -> seed.width() + 1;
          case 2 -> 1 + r.nextInt(Tiles.WIDTH);
          default -> seed.width();
        };
    return Math.max(1, Math.min(Tiles.WIDTH, w));
  }

  interface Target {
    void accept(byte[] mutant, Seed seed, Random r);
  }

  private static void fuzz(String what, List<Seed> seeds, int iterations, Target target) {
    fuzz(what, seeds, iterations, target, true);
  }

  private static void fuzz(
      String what, List<Seed> seeds, int iterations, Target target, boolean someAccepted) {
    Random r = new Random(SEED ^ what.hashCode());
    // Each valid input as it is, first: the contract's consistency checks must hold for them too.
    for (Seed s : seeds) {
      target.accept(s.data().clone(), s, r);
    }
    long acceptedBefore = ParserContracts.ACCEPTED.get();
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          for (int i = 0; i < iterations; i++) {
            Seed seed = seeds.get(r.nextInt(seeds.size()));
            byte[] mutant = seed.data();
            int rounds = 1 + r.nextInt(4);
            for (int k = 0; k < rounds; k++) {
              mutant = mutate(mutant, seeds, r);
            }
            try {
              target.accept(mutant, seed, r);
            } catch (AssertionError e) {
              throw new AssertionError(
                  what + ", seed " + SEED + ", iteration " + i + ": " + e.getMessage(), e);
            }
          }
        },
        what + ": did not finish");
    long accepted = ParserContracts.ACCEPTED.get() - acceptedBefore;
    // Mutants that still parse are where the consistency checks bite: the fuzzer must reach them.
    assertTrue(
        !someAccepted || accepted > 0,
        what + ": no mutant was accepted; the mutations are too coarse");
  }

  static byte[] mutate(byte[] in, List<Seed> seeds, Random r) {
    int n = in.length;
    int pos = n == 0 ? 0 : r.nextInt(n);
    switch (r.nextInt(9)) {
      case 0 -> { // flip a bit
        if (n == 0) {
          return in;
        }
        byte[] out = in.clone();
        out[pos] ^= (byte) (1 << r.nextInt(8));
        return out;
      }
      case 1 -> { // set a byte to something a parser cares about
        if (n == 0) {
          return in;
        }
        byte[] out = in.clone();
        out[pos] = INTERESTING[r.nextInt(INTERESTING.length)];
        return out;
      }
      case 2 -> { // truncate
        return Arrays.copyOf(in, pos);
      }
      case 3 -> { // insert a few bytes
        byte[] ins = new byte[1 + r.nextInt(8)];
        for (int i = 0; i < ins.length; i++) {
          ins[i] =
              r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : (byte) r.nextInt();
        }
        return splice(in, pos, pos, ins);
      }
      case 4 -> { // delete a range
        int end = Math.min(n, pos + 1 + r.nextInt(16));
        return splice(in, pos, end, new byte[0]);
      }
      case 5 -> { // duplicate a range (an extra record, a repeated line)
        int end = Math.min(n, pos + 1 + r.nextInt(64));
        return splice(in, pos, pos, Arrays.copyOfRange(in, pos, end));
      }
      case 6 -> { // splice with another valid input: this one's head, that one's tail
        byte[] other = seeds.get(r.nextInt(seeds.size())).data();
        int from = other.length == 0 ? 0 : r.nextInt(other.length);
        return splice(
            Arrays.copyOf(in, pos), pos, pos, Arrays.copyOfRange(other, from, other.length));
      }
      case 7 -> { // rewrite two bytes as a big-endian length: 0, max, or one off what is there
        if (n < 2) {
          return in;
        }
        int at = Math.min(pos, n - 2);
        int old = ((in[at] & 0xff) << 8) | (in[at + 1] & 0xff);
        int v =
            switch (r.nextInt(4)) {
              case 0 -> 0;
              case 1 -> 0xffff;
              case 2 -> old + 1;
              default -> old - 1;
            };
        byte[] out = in.clone();
        out[at] = (byte) (v >>> 8);
        out[at + 1] = (byte) v;
        return out;
      }
      default -> { // replace a range with random bytes
        byte[] out = in.clone();
        for (int i = pos; i < Math.min(n, pos + 1 + r.nextInt(8)); i++) {
          out[i] = (byte) r.nextInt();
        }
        return out;
      }
    }
  }

  private static byte[] splice(byte[] in, int from, int to, byte[] insert) {
    byte[] out = new byte[in.length - (to - from) + insert.length];
    System.arraycopy(in, 0, out, 0, from);
    System.arraycopy(insert, 0, out, from, insert.length);
    System.arraycopy(in, to, out, from + insert.length, in.length - to);
    return out;
  }
}
