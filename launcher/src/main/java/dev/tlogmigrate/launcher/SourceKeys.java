package dev.tlogmigrate.launcher;

import dev.tlogmigrate.transforms.format.CheckpointVerifier;
import dev.tlogmigrate.transforms.format.NoteVerifier;
import dev.tlogmigrate.transforms.format.VerifierKeys;
import dev.tlogmigrate.transforms.format.WitnessQuorum;
import java.util.Base64;
import java.util.List;

/** The source log's key (a verifier key or a static-ct public key) and the witnesses to cosign. */
final class SourceKeys {
  private SourceKeys() {}

  /**
   * The verifier of the source's checkpoint, from --sourceVerifierKey/--sourcePublicKey/--witness*.
   */
  static CheckpointVerifier checkpointVerifier(MigrateOptions options) {
    String vkey = options.getSourceVerifierKey();
    String publicKey = options.getSourcePublicKey();
    if (vkey == null && publicKey == null) {
      throw new IllegalArgumentException(
          "give the source log's key: --sourceVerifierKey or --sourcePublicKey");
    }
    List<NoteVerifier> keys =
        vkey == null ? List.of() : List.of(parseKey("--sourceVerifierKey", vkey));
    byte[] spki = null;
    if (publicKey != null) {
      try {
        spki = Base64.getDecoder().decode(publicKey.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--sourcePublicKey is not base64: " + e.getMessage());
      }
    }
    List<String> witnessKeys =
        options.getWitnessKey() == null ? List.of() : options.getWitnessKey();
    WitnessQuorum quorum = null;
    if (options.getWitnessQuorum() > 0) {
      quorum =
          new WitnessQuorum(
              witnessKeys.stream().map(k -> parseKey("--witnessKey", k)).toList(),
              options.getWitnessQuorum());
    } else if (!witnessKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "--witnessKey needs --witnessQuorum=K (how many must have cosigned)");
    }
    return new CheckpointVerifier(keys, spki, quorum);
  }

  private static NoteVerifier parseKey(String option, String key) {
    try {
      return VerifierKeys.parse(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage()); // the message is all
    }
  }
}
