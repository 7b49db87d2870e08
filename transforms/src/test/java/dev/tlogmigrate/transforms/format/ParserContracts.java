package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The contract every parser of untrusted input keeps, checked for one input at a time: it returns
 * within a bound, or throws {@link InvalidLogException} (bad data) or {@link
 * IllegalArgumentException} (bad argument) and nothing else; and what it accepts is consistent
 * (re-encodes to the same bytes, or re-parses to the same value). Shared by the property tests and
 * the mutation fuzz test.
 */
final class ParserContracts {
  static final String RESOURCE = "fuzz/resource";

  /** Far more than any parser needs for inputs of this size; only a hang exceeds it. */
  private static final long TIMEOUT_MS = 2000;

  private static final ExecutorService EXECUTOR =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "parser-contract");
            t.setDaemon(true);
            return t;
          });

  /** Trusted by {@link #checkpoint}: Tessera's test log key. */
  static final CheckpointVerifier VERIFIER =
      new CheckpointVerifier(
          List.of(
              VerifierKeys.parse(
                  "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx")));

  /** Calls that returned a value: how a fuzzer sees that it reaches the accepting side. */
  static final AtomicLong ACCEPTED = new AtomicLong();

  private ParserContracts() {}

  /** What came out of a call: the value, or the permitted exception it threw. */
  record Outcome<T>(T value, RuntimeException rejected) {
    boolean accepted() {
      return rejected == null;
    }
  }

  /** Runs parse under the contract: bounded time, and only the two permitted exceptions. */
  static <T> Outcome<T> call(String what, Object input, Callable<T> parse) {
    Future<T> f = EXECUTOR.submit(parse);
    try {
      T value = f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      ACCEPTED.incrementAndGet();
      return new Outcome<>(value, null);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof InvalidLogException || c instanceof IllegalArgumentException) {
        return new Outcome<>(null, (RuntimeException) c);
      }
      throw new AssertionError(what + " threw " + c + " for " + describe(input), c);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError(
          what + " did not return within " + TIMEOUT_MS + " ms for " + describe(input));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String describe(Object input) {
    if (input instanceof byte[] b) {
      String hex = HexFormat.of().formatHex(b, 0, Math.min(b.length, 512));
      return b.length + " bytes: " + hex + (b.length > 512 ? "..." : "");
    }
    String s = String.valueOf(input);
    return "'" + (s.length() > 512 ? s.substring(0, 512) + "..." : s) + "'";
  }

  // ---- Entry bundles ----

  static void bundle(byte[] data, int width) {
    Outcome<EntryBundle> exact =
        call(
            "EntryBundle.parse(width " + width + ")",
            data,
            () -> EntryBundle.parse(data, width, RESOURCE));
    if (exact.accepted()) {
      EntryBundle b = exact.value();
      assertEquals(width, b.size());
      assertArrayEquals(data, b.bytes(), "an exact bundle is its bytes");
      assertArrayEquals(data, EntryBundle.encode(entries(b)), "re-encoding an accepted bundle");
      assertEquals(width * Tiles.HASH_SIZE, b.leafHashes(Rfc6962.sha256()).length);
    }
    if (width < Tiles.WIDTH) {
      Outcome<EntryBundle> cut =
          call(
              "EntryBundle.parseFullAsPartial(width " + width + ")",
              data,
              () -> EntryBundle.parseFullAsPartial(data, width, RESOURCE));
      if (cut.accepted()) {
        // Accepted only as a whole full bundle, and the part kept is its first width entries.
        assertTrue(EntryBundle.parse(data, Tiles.WIDTH, RESOURCE).size() == Tiles.WIDTH);
        byte[] kept = cut.value().bytes();
        assertArrayEquals(
            java.util.Arrays.copyOf(data, kept.length), kept, "the partial is a prefix");
        assertArrayEquals(
            kept, EntryBundle.encode(entries(EntryBundle.parse(kept, width, RESOURCE))));
      }
    }
  }

  private static List<byte[]> entries(EntryBundle b) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < b.size(); i++) {
      out.add(b.entry(i));
    }
    return out;
  }

  // ---- Data tiles (static-ct-api) ----

  static void dataTile(byte[] data, int width) {
    Outcome<DataTile> exact =
        call(
            "DataTile.parse(width " + width + ")",
            data,
            () -> DataTile.parse(data, width, RESOURCE));
    if (exact.accepted()) {
      assertEquals(width, exact.value().size());
      assertArrayEquals(data, exact.value().bytes());
      assertEquals(width * Tiles.HASH_SIZE, exact.value().leafHashes(Rfc6962.sha256()).length);
    }
    if (width < Tiles.WIDTH) {
      Outcome<DataTile> cut =
          call(
              "DataTile.parseFullAsPartial(width " + width + ")",
              data,
              () -> DataTile.parseFullAsPartial(data, width, RESOURCE));
      if (cut.accepted()) {
        byte[] kept = cut.value().bytes();
        assertArrayEquals(
            java.util.Arrays.copyOf(data, kept.length), kept, "the partial is a prefix");
        assertEquals(width, DataTile.parse(kept, width, RESOURCE).size());
      }
    }
  }

  // ---- Tile paths ----

  static void tilePath(String path) {
    Outcome<TilePath> p = call("TilePath.parse", path, () -> TilePath.parse(path));
    if (p.accepted()) {
      assertEquals(path, p.value().path(), "accepted a path that does not round-trip");
      assertEquals(p.value(), TilePath.parse(p.value().path()));
    }
  }

  // ---- Signed notes and checkpoints ----

  static void note(byte[] data) {
    Outcome<SignedNote> n = call("SignedNote.parse", data, () -> SignedNote.parse(RESOURCE, data));
    if (n.accepted()) {
      SignedNote note = n.value();
      assertTrue(
          note.signatures().size() >= 1 && note.signatures().size() <= SignedNote.MAX_SIGNATURES);
      // Re-serialised, it parses to the same text and signatures (base64 may differ in unused
      // bits).
      SignedNote again = SignedNote.parse(RESOURCE, serialize(note));
      assertArrayEquals(note.text(), again.text());
      assertEquals(note.signatures().size(), again.signatures().size());
      for (int i = 0; i < note.signatures().size(); i++) {
        SignedNote.Signature a = note.signatures().get(i);
        SignedNote.Signature b = again.signatures().get(i);
        assertEquals(a.name(), b.name());
        assertEquals(a.keyId(), b.keyId());
        assertArrayEquals(a.signature(), b.signature());
      }
      checkpointBody(note.text());
    }
    checkpoint(data);
  }

  static byte[] serialize(SignedNote note) {
    StringBuilder sb = new StringBuilder(note.textString()).append('\n');
    for (SignedNote.Signature s : note.signatures()) {
      byte[] blob =
          ByteBuffer.allocate(4 + s.signature().length)
              .putInt(s.keyId())
              .put(s.signature())
              .array();
      sb.append("\u2014 ")
          .append(s.name())
          .append(' ')
          .append(Base64.getEncoder().encodeToString(blob))
          .append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The whole opening of a checkpoint, signature verification included. */
  static void checkpoint(byte[] data) {
    Outcome<Checkpoint> c =
        call("CheckpointVerifier.verify", data, () -> VERIFIER.verify(RESOURCE, data));
    if (c.accepted()) {
      assertArrayEquals(SignedNote.parse(RESOURCE, data).text(), text(c.value()));
    }
  }

  static void checkpointBody(byte[] text) {
    Outcome<Checkpoint> c = call("Checkpoint.parse", text, () -> Checkpoint.parse(RESOURCE, text));
    if (c.accepted()) {
      // It re-encodes to itself, but for the root's base64, which (like Go's non-strict decoder)
      // may set the unused low bits of its last character: then only that line differs.
      String[] got = new String(text, StandardCharsets.UTF_8).split("\n", -1);
      String[] want = new String(text(c.value()), StandardCharsets.UTF_8).split("\n", -1);
      assertEquals(want.length, got.length, "lines of an accepted checkpoint body");
      for (int i = 0; i < want.length; i++) {
        if (i != 2) {
          assertEquals(
              want[i],
              got[i],
              "line " + i + " of an accepted checkpoint body re-encodes to itself");
        }
      }
      assertArrayEquals(c.value().root(), Base64.getDecoder().decode(got[2]));
      Checkpoint again = Checkpoint.parse(RESOURCE, text(c.value()));
      assertEquals(c.value().origin(), again.origin());
      assertEquals(c.value().size(), again.size());
      assertArrayEquals(c.value().root(), again.root());
      assertEquals(c.value().extensions(), again.extensions());
    }
  }

  private static byte[] text(Checkpoint c) {
    StringBuilder sb = new StringBuilder(Checkpoint.text(c.origin(), c.size(), c.root()));
    for (String e : c.extensions()) {
      sb.append(e).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  // ---- Tree state and verifier keys ----

  static void treeState(byte[] json) {
    Outcome<TreeState> t = call("TreeState.parse", json, () -> TreeState.parse(RESOURCE, json));
    if (t.accepted()) {
      assertEquals(t.value(), TreeState.parse(RESOURCE, t.value().toJson()));
    }
  }

  static void verifierKey(String vkey) {
    Outcome<NoteVerifier> v = call("VerifierKeys.parse", vkey, () -> VerifierKeys.parse(vkey));
    if (v.accepted()) {
      assertTrue(
          vkey.startsWith(v.value().name() + "+" + String.format("%08x", v.value().keyId()) + "+"),
          vkey);
    }
  }

  /**
   * An InvalidLogException's message is one line that names the resource (its documented contract).
   */
  static void assertOneLineNamingTheResource(RuntimeException e) {
    if (e instanceof InvalidLogException) {
      String m = e.getMessage();
      if (m == null || !m.contains(RESOURCE) || m.contains("\n") || m.contains("\r")) {
        fail("InvalidLogException message is not one line naming " + RESOURCE + ": " + describe(m));
      }
    }
  }
}
