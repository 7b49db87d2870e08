package dev.tlogmigrate.transforms.format;

import java.util.List;

/** Opens a checkpoint: a signed note verified against the log's keys, then its body parsed. */
public final class CheckpointVerifier {
  private final List<NoteVerifier> keys;

  public CheckpointVerifier(List<NoteVerifier> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no verifier key for the source log");
    }
    this.keys = List.copyOf(keys);
  }

  public Checkpoint verify(String resource, byte[] note) {
    SignedNote signed = SignedNote.parse(resource, note);
    NoteVerification.verify(resource, signed, keys);
    return Checkpoint.parse(resource, signed.text());
  }
}
