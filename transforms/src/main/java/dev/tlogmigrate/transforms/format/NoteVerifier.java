package dev.tlogmigrate.transforms.format;

import java.io.Serializable;

/** Verifies signatures of one key, identified in a note by (name, key ID). */
public interface NoteVerifier extends Serializable {
  String name();

  int keyId();

  /** Whether {@code signature} (the bytes after the key ID) is valid for the note text. */
  boolean verify(byte[] text, byte[] signature);

  default String keyLabel() {
    return name() + "+" + String.format("%08x", keyId());
  }
}
