package dev.tlogmigrate.transforms.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Opens a checkpoint: a signed note that must carry a valid signature by one of the log's keys and,
 * when a quorum is configured, cosignatures by enough witnesses; then its body is parsed.
 */
public final class CheckpointVerifier {
  private final List<NoteVerifier> keys;
  private final byte[] rfc6962PublicKey;
  private final WitnessQuorum witnesses;

  /**
   * @param keys the log's note verifier keys
   * @param rfc6962PublicKey a static-ct log's DER public key, whose key name is the checkpoint's
   *     origin (unauthenticated, so the verifier also requires origin == key name); or null
   * @param witnesses the witnesses that must cosign, or null
   */
  public CheckpointVerifier(
      List<NoteVerifier> keys, byte[] rfc6962PublicKey, WitnessQuorum witnesses) {
    if (keys.isEmpty() && rfc6962PublicKey == null) {
      throw new IllegalArgumentException("no verifier key for the source log");
    }
    this.keys = List.copyOf(keys);
    this.rfc6962PublicKey = rfc6962PublicKey == null ? null : rfc6962PublicKey.clone();
    this.witnesses = witnesses;
  }

  public CheckpointVerifier(List<NoteVerifier> keys) {
    this(keys, null, null);
  }

  public Checkpoint verify(String resource, byte[] note) {
    SignedNote signed = SignedNote.parse(resource, note);
    List<NoteVerifier> trusted = new ArrayList<>(keys);
    if (rfc6962PublicKey != null) {
      String origin = Checkpoint.parse(resource, signed.text()).origin();
      trusted.add(Rfc6962NoteVerifier.fromPublicKey(origin, rfc6962PublicKey));
    }
    NoteVerification.verify(resource, signed, trusted);
    if (witnesses != null) {
      witnesses.verify(resource, signed);
    }
    return Checkpoint.parse(resource, signed.text());
  }
}
