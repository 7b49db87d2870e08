package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * K-of-N witness cosignatures, with cosignatures made here and on Skylight's witness checkpoint.
 */
class WitnessQuorumTest {
  private static final String TEXT = Checkpoint.text("example.com/log", 42, new byte[32]);
  private static final long TIME = 1767139200L;

  private final TestCosigner a = new TestCosigner("a.witness.test");
  private final TestCosigner b = new TestCosigner("b.witness.test");
  private final TestCosigner c = new TestCosigner("c.witness.test");
  private final TestCosigner stranger = new TestCosigner("stranger.test");
  private final List<NoteVerifier> abc = List.of(a.verifier(), b.verifier(), c.verifier());

  @Test
  void quorumMetReturnsTheWitnessesInOrder() {
    byte[] note =
        TestCosigner.note(TEXT, stranger.line(TEXT, TIME), c.line(TEXT, TIME), a.line(TEXT, TIME));
    List<String> found =
        new WitnessQuorum(abc, 2).verify("checkpoint", SignedNote.parse("checkpoint", note));
    assertEquals(List.of("c.witness.test", "a.witness.test"), found);
  }

  @Test
  void tooFewNamesHowManyOfWhich() {
    byte[] note = TestCosigner.note(TEXT, stranger.line(TEXT, TIME), b.line(TEXT, TIME));
    String msg =
        assertThrows(
                InvalidLogException.class,
                () ->
                    new WitnessQuorum(abc, 2)
                        .verify("checkpoint", SignedNote.parse("checkpoint", note)))
            .getMessage();
    assertEquals(
        "checkpoint: cosigned by 1 of the 2 required witnesses (found: b.witness.test; "
            + "configured: a.witness.test, b.witness.test, c.witness.test)",
        msg);
  }

  @Test
  void noCosignatureAtAll() {
    byte[] note = TestCosigner.note(TEXT, stranger.line(TEXT, TIME));
    String msg =
        assertThrows(
                InvalidLogException.class,
                () ->
                    new WitnessQuorum(abc, 1)
                        .verify("checkpoint", SignedNote.parse("checkpoint", note)))
            .getMessage();
    assertEquals(
        "checkpoint: cosigned by 0 of the 1 required witnesses (found: none; "
            + "configured: a.witness.test, b.witness.test, c.witness.test)",
        msg);
  }

  @Test
  void invalidCosignatureByAConfiguredWitnessIsAnError() {
    byte[] bad = b.blob(TEXT + "other\n", TIME); // signed some other text
    byte[] note = TestCosigner.note(TEXT, a.line(TEXT, TIME), b.line(bad), c.line(TEXT, TIME));
    String msg =
        assertThrows(
                InvalidLogException.class,
                () ->
                    new WitnessQuorum(abc, 1)
                        .verify("checkpoint", SignedNote.parse("checkpoint", note)))
            .getMessage();
    assertEquals("checkpoint: invalid witness cosignature by " + b.verifier().keyLabel(), msg);
  }

  /** Like Go's note.Open, only the first line of a key is checked; repeats do not count twice. */
  @Test
  void repeatedLinesCountOnce() {
    byte[] note = TestCosigner.note(TEXT, a.line(TEXT, TIME), a.line(TEXT, TIME + 1));
    assertThrows(
        InvalidLogException.class,
        () -> new WitnessQuorum(abc, 2).verify("checkpoint", SignedNote.parse("checkpoint", note)));
  }

  @Test
  void twoKeysOfOneWitnessCountOnce() {
    TestCosigner aRotated = new TestCosigner("a.witness.test");
    List<NoteVerifier> keys = List.of(a.verifier(), aRotated.verifier(), b.verifier());
    byte[] note = TestCosigner.note(TEXT, a.line(TEXT, TIME), aRotated.line(TEXT, TIME));
    SignedNote parsed = SignedNote.parse("checkpoint", note);
    assertEquals(
        List.of("a.witness.test"), new WitnessQuorum(keys, 1).verify("checkpoint", parsed));
    assertThrows(
        InvalidLogException.class, () -> new WitnessQuorum(keys, 2).verify("checkpoint", parsed));
  }

  @Test
  void badConfigurationIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new WitnessQuorum(abc, 0));
    assertThrows(IllegalArgumentException.class, () -> new WitnessQuorum(abc, 4));
    assertThrows(IllegalArgumentException.class, () -> new WitnessQuorum(List.of(), 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new WitnessQuorum(List.of(a.verifier(), a.verifier()), 1));
  }

  @Test
  void skylightWitnessCheckpoint() {
    String path =
        "static-ct/skylight/witness/000de184301123b9278c086a7d9f68c9577e83872224c197058fd90784ea9706/checkpoint";
    SignedNote note = SignedNote.parse(path, TestData.resource(path));
    List<NoteVerifier> witnesses =
        List.of(
            CosignatureVerifierTest.skylightWitness("static-ct/skylight/witness/witness.v0.json"),
            CosignatureVerifierTest.skylightWitness("static-ct/skylight/witness2/witness.v0.json"));
    assertEquals(
        List.of("witness.example.org"), new WitnessQuorum(witnesses, 1).verify(path, note));
    String msg =
        assertThrows(
                InvalidLogException.class, () -> new WitnessQuorum(witnesses, 2).verify(path, note))
            .getMessage();
    assertEquals(
        path
            + ": cosigned by 1 of the 2 required witnesses (found: witness.example.org; "
            + "configured: witness.example.org, witness2.example.org)",
        msg);
  }
}
