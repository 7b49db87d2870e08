package dev.tlogmigrate.transforms.generate;

/** Signs checkpoints: used to write test and example logs; a migration never signs. */
public interface CheckpointSigner {
  /** The key name, which is also the origin of the logs it signs. */
  String name();

  /** The signed note of a checkpoint text: the text, a blank line and the signature line. */
  byte[] sign(String text);

  /** What a migration is given to verify this signer's checkpoints (a verifier key string). */
  String verifierKey();
}
