package dev.tlogmigrate.transforms.format;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tlogmigrate.transforms.generate.TileLeafEncoder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;

/**
 * Every parser of untrusted input, given arbitrary or nearly-valid input, returns or throws only
 * InvalidLogException / IllegalArgumentException, within a bound; what it accepts is consistent
 * (see {@link ParserContracts}). Inputs are both plain random and built from the format's pieces,
 * so that generation gets past the first check.
 */
class ParserPropertiesTest {
  private static final int TRIES = 300;

  // ---- Entry bundles ----

  @Property(tries = TRIES)
  void entryBundleOfArbitraryBytes(
      @ForAll("bytes") byte[] data, @ForAll @IntRange(min = 1, max = 256) int width) {
    ParserContracts.bundle(data, width);
  }

  @Property(tries = TRIES)
  void entryBundleOfNearlyValidRecords(@ForAll("bundles") Tuple2<byte[], Integer> bundle) {
    ParserContracts.bundle(bundle.get1(), bundle.get2());
  }

  @Provide
  Arbitrary<Tuple2<byte[], Integer>> bundles() {
    Arbitrary<List<byte[]>> entries =
        Arbitraries.bytes().array(byte[].class).ofMaxSize(40).list().ofMaxSize(12);
    return Combinators.combine(entries, Arbitraries.integers().between(-1, 1), tweaks())
        .as(
            (list, dw, tweak) ->
                Tuple.of(tweak.apply(EntryBundle.encode(list)), Math.max(1, list.size() + dw)));
  }

  // ---- Data tiles ----

  @Property(tries = TRIES)
  void dataTileOfArbitraryBytes(
      @ForAll("bytes") byte[] data, @ForAll @IntRange(min = 1, max = 256) int width) {
    ParserContracts.dataTile(data, width);
  }

  @Property(tries = TRIES)
  void dataTileOfNearlyValidRecords(@ForAll("dataTiles") Tuple2<byte[], Integer> tile) {
    ParserContracts.dataTile(tile.get1(), tile.get2());
  }

  @Provide
  Arbitrary<Tuple2<byte[], Integer>> dataTiles() {
    Arbitrary<byte[]> blob = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    Arbitrary<byte[]> hash = Arbitraries.bytes().array(byte[].class).ofSize(32);
    Arbitrary<byte[]> leaf =
        Combinators.combine(
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.of(true, false),
                blob,
                blob,
                hash.list().ofMaxSize(3))
            .as(
                (ts, precert, cert, ext, chain) ->
                    precert
                        ? TileLeafEncoder.precert(ts, new byte[32], cert, ext, cert, chain)
                        : TileLeafEncoder.x509(ts, cert, ext, chain));
    return Combinators.combine(
            leaf.list().ofMinSize(1).ofMaxSize(5), Arbitraries.integers().between(-1, 1), tweaks())
        .as(
            (leaves, dw, tweak) -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              leaves.forEach(out::writeBytes);
              return Tuple.of(tweak.apply(out.toByteArray()), Math.max(1, leaves.size() + dw));
            });
  }

  // ---- Notes, checkpoints ----

  @Property(tries = TRIES)
  void signedNoteOfArbitraryBytes(@ForAll("bytes") byte[] data) {
    ParserContracts.note(data);
  }

  @Property(tries = TRIES)
  void signedNoteOfNearlyValidNotes(@ForAll("notes") byte[] data) {
    ParserContracts.note(data);
  }

  @Property(tries = TRIES)
  void checkpointOfNearlyValidBodies(@ForAll("checkpointBodies") String text) {
    ParserContracts.checkpointBody(text.getBytes(UTF_8));
  }

  @Property(tries = TRIES)
  void checkpointOfArbitraryBytes(@ForAll("bytes") byte[] data) {
    ParserContracts.checkpointBody(data);
  }

  @Provide
  Arbitrary<String> checkpointBodies() {
    Arbitrary<String> origin =
        Arbitraries.oneOf(
            Arbitraries.just("example.com/log"),
            Arbitraries.strings().ofMaxLength(12),
            Arbitraries.just(""));
    Arbitrary<String> size =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf),
            Arbitraries.of(
                "0",
                "00",
                "01",
                "-1",
                "+1",
                "9223372036854775807",
                "9223372036854775808",
                "18446744073709551615",
                "18446744073709551616",
                "1e3",
                " 1",
                "1 ",
                "１"),
            Arbitraries.strings().numeric().ofMaxLength(25));
    Arbitrary<String> root =
        Arbitraries.oneOf(
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(40)
                .map(b -> Base64.getEncoder().encodeToString(b)),
            Arbitraries.bytes()
                .array(byte[].class)
                .ofSize(32)
                .map(b -> Base64.getEncoder().encodeToString(b)),
            Arbitraries.strings().withChars("ABCxyz019+/=").ofMaxLength(48));
    Arbitrary<String> extensions =
        Arbitraries.strings()
            .ofMaxLength(8)
            .list()
            .ofMaxSize(2)
            .map(
                l -> {
                  StringBuilder sb = new StringBuilder();
                  l.forEach(e -> sb.append(e).append('\n'));
                  return sb.toString();
                });
    return Combinators.combine(origin, size, root, extensions, Arbitraries.of("\n", "", "\n\n"))
        .as((o, s, r, e, end) -> o + "\n" + s + "\n" + r + end + e);
  }

  @Provide
  Arbitrary<byte[]> notes() {
    Arbitrary<String> name =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.of("example.com/log/testdata", "a", "grease.example")),
            Tuple.of(1, Arbitraries.of("sp ace", "plus+name", "\u00a0nbsp", "")),
            Tuple.of(1, Arbitraries.strings().ofMaxLength(10)));
    Arbitrary<String> blob =
        Arbitraries.oneOf(
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(80)
                .map(b -> Base64.getEncoder().encodeToString(b)),
            // Blobs around the 4-byte key ID and 5-byte minimum: where an off-by-one would read
            // past the end.
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(6)
                .map(b -> Base64.getEncoder().encodeToString(b)),
            Arbitraries.strings().withChars("ABCxyz019+/= ").ofMaxLength(30));
    // Mostly well-formed lines, so that generation gets past the line syntax to the blob.
    Arbitrary<String> line =
        Combinators.combine(
                Arbitraries.frequencyOf(
                    Tuple.of(6, Arbitraries.just("\u2014 ")),
                    Tuple.of(1, Arbitraries.of("\u2014", "- ", ""))),
                name,
                Arbitraries.frequencyOf(
                    Tuple.of(6, Arbitraries.just(" ")), Tuple.of(1, Arbitraries.of("  ", ""))),
                blob)
            .as((dash, n, sep, b) -> dash + n + sep + b + "\n");
    Arbitrary<String> sigs = line.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("", l));
    Arbitrary<String> text =
        Arbitraries.oneOf(
            Arbitraries.just(
                "example.com/log/testdata\n15\nT6RJe9xjN6xG4mj4EoZf2zRSE6MmMChZH3JX+28CCio=\n"),
            checkpointBodies(),
            Arbitraries.strings().ofMaxLength(30));
    return Combinators.combine(
            text, Arbitraries.of("\n", "\n", "\n", "", "\n\n", "\r\n"), sigs, tweaks())
        .as((t, sep, s, tweak) -> tweak.apply((t + sep + s).getBytes(UTF_8)));
  }

  // ---- Tree state, verifier keys, tile paths ----

  @Property(tries = TRIES)
  void treeStateOfArbitraryBytes(@ForAll("bytes") byte[] data) {
    ParserContracts.treeState(data);
  }

  @Property(tries = TRIES)
  void treeStateOfNearlyValidJson(@ForAll("treeStates") String json) {
    ParserContracts.treeState(json.getBytes(UTF_8));
  }

  @Provide
  Arbitrary<String> treeStates() {
    Arbitrary<String> number =
        Arbitraries.oneOf(
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.of(
                "1e3",
                "1.5",
                "-0",
                "9223372036854775808",
                "18446744073709551616",
                "1e400",
                "null",
                "true",
                "\"5\"",
                "[]",
                "{}",
                "0x10",
                "NaN"));
    Arbitrary<String> root =
        Arbitraries.oneOf(
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(40)
                .map(b -> "\"" + Base64.getEncoder().encodeToString(b) + "\""),
            Arbitraries.bytes()
                .array(byte[].class)
                .ofSize(32)
                .map(b -> "\"" + Base64.getEncoder().encodeToString(b) + "\""),
            Arbitraries.of("null", "5", "\"\"", "\"!!\"", "[\"a\"]"));
    Arbitrary<String> nested =
        Arbitraries.integers().between(1, 5000).map(d -> "[".repeat(d) + "]".repeat(d));
    return Arbitraries.oneOf(
        Combinators.combine(
                number, root, Arbitraries.of("", ",\"size\":1", ",\"x\":{\"y\":[1,2]}", "}"))
            .as((n, r, extra) -> "{\"size\":" + n + ",\"root\":" + r + extra + "}"),
        nested,
        nested.map(n -> "{\"size\":" + n + "}"),
        Arbitraries.strings().ofMaxLength(40));
  }

  @Property(tries = TRIES)
  void verifierKeyOfArbitraryStrings(@ForAll("strings") String vkey) {
    ParserContracts.verifierKey(vkey);
  }

  @Property(tries = TRIES)
  void verifierKeyOfNearlyValidKeys(@ForAll("verifierKeys") String vkey) {
    ParserContracts.verifierKey(vkey);
  }

  @Provide
  Arbitrary<String> verifierKeys() {
    Arbitrary<String> name =
        Arbitraries.oneOf(
            Arbitraries.of("example.com/log", "a", "", "sp ace", "\u2028", "x+y"),
            Arbitraries.strings().ofMaxLength(8));
    Arbitrary<String> id =
        Arbitraries.oneOf(
            Arbitraries.integers().map(i -> String.format("%08x", i)),
            Arbitraries.of("", "0", "ABCDEF01", "123456789", "zzzzzzzz"));
    Arbitrary<byte[]> material =
        Combinators.combine(
                Arbitraries.of((byte) 1, (byte) 4, (byte) 5, (byte) 0, (byte) 2, (byte) 0xff),
                Arbitraries.oneOf(
                    Arbitraries.bytes().array(byte[].class).ofSize(32),
                    Arbitraries.bytes().array(byte[].class).ofMaxSize(100),
                    Arbitraries.just(new byte[0])))
            .as(
                (type, key) -> {
                  byte[] m = new byte[key.length + 1];
                  m[0] = type;
                  System.arraycopy(key, 0, m, 1, key.length);
                  return m;
                });
    Arbitrary<String> key =
        Arbitraries.oneOf(
            material.map(m -> Base64.getEncoder().encodeToString(m)),
            material.map(m -> Base64.getEncoder().withoutPadding().encodeToString(m)),
            Arbitraries.strings().withChars("ABab01+/=").ofMaxLength(20));
    // Keys whose ID is right, so that the key material itself gets looked at.
    Arbitrary<String> withMatchingId =
        Combinators.combine(Arbitraries.of("example.com/log", "a", "w"), material)
            .as(
                (n, m) ->
                    n
                        + "+"
                        + String.format("%08x", NoteKeys.keyId(n, m))
                        + "+"
                        + Base64.getEncoder().encodeToString(m));
    return Arbitraries.oneOf(
        Combinators.combine(name, id, key).as((n, i, k) -> n + "+" + i + "+" + k),
        withMatchingId,
        Combinators.combine(name, key).as((n, k) -> n + "+" + k));
  }

  @Property(tries = TRIES)
  void tilePathOfArbitraryStrings(@ForAll("pathLikeStrings") String path) {
    ParserContracts.tilePath(path);
  }

  @Provide
  Arbitrary<String> pathLikeStrings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("tile/entris0123456789x.p").ofMaxLength(40),
        Arbitraries.strings()
            .withChars("0123456789x/")
            .ofMaxLength(30)
            .map(s -> "tile/entries/" + s),
        Arbitraries.strings().withChars("0123456789x/.p").ofMaxLength(30).map(s -> "tile/7/" + s),
        strings());
  }

  // ---- Messages ----

  @Property(tries = TRIES)
  void rejectionsAreOneLineNamingTheResource(
      @ForAll("bytes") byte[] data, @ForAll @IntRange(min = 1, max = 256) int width) {
    List<ParserContracts.Outcome<?>> outcomes = new ArrayList<>();
    outcomes.add(
        ParserContracts.call(
            "EntryBundle.parse",
            data,
            () -> EntryBundle.parse(data, width, ParserContracts.RESOURCE)));
    outcomes.add(
        ParserContracts.call(
            "DataTile.parse", data, () -> DataTile.parse(data, width, ParserContracts.RESOURCE)));
    outcomes.add(
        ParserContracts.call(
            "SignedNote.parse", data, () -> SignedNote.parse(ParserContracts.RESOURCE, data)));
    outcomes.add(
        ParserContracts.call(
            "Checkpoint.parse", data, () -> Checkpoint.parse(ParserContracts.RESOURCE, data)));
    for (ParserContracts.Outcome<?> o : outcomes) {
      if (!o.accepted()) {
        ParserContracts.assertOneLineNamingTheResource(o.rejected());
      }
    }
  }

  @Property(tries = TRIES)
  void treeStateRejectionsAreOneLineNamingTheResource(@ForAll("treeStates") String json) {
    byte[] data = json.replace(",", ",\n").getBytes(UTF_8); // valid JSON may span lines
    ParserContracts.Outcome<?> o =
        ParserContracts.call(
            "TreeState.parse", data, () -> TreeState.parse(ParserContracts.RESOURCE, data));
    if (!o.accepted()) {
      ParserContracts.assertOneLineNamingTheResource(o.rejected());
    }
  }

  // ---- Shared generators ----

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(600),
        // Mostly text-like: what note and JSON parsers mostly see.
        Arbitraries.strings()
            .withChars("\n \u2014+/=0123456789abcxyzABC{}\":,[]")
            .ofMaxLength(200)
            .map(s -> s.getBytes(UTF_8)));
  }

  @Provide
  Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60), Arbitraries.strings().all().ofMaxLength(20));
  }

  /** Small damage to otherwise valid bytes: none, truncation, a trailing byte, a flipped bit. */
  private static Arbitrary<java.util.function.UnaryOperator<byte[]>> tweaks() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 5),
            Arbitraries.integers().between(0, 10_000),
            Arbitraries.bytes())
        .as(
            (kind, at, value) ->
                data -> {
                  if (data.length == 0) {
                    return kind == 2 ? new byte[] {value} : data;
                  }
                  int pos = at % data.length;
                  byte[] out;
                  switch (kind) {
                    case 1 -> out = java.util.Arrays.copyOf(data, pos);
                    case 2 -> {
                      out = java.util.Arrays.copyOf(data, data.length + 1);
                      out[data.length] = value;
                    }
                    case 3 -> {
                      out = data.clone();
                      out[pos] ^= (byte) (1 << (at % 8));
                    }
                    default -> out = data;
                  }
                  return out;
                });
  }
}
