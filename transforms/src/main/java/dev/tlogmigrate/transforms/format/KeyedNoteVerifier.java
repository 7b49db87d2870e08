package dev.tlogmigrate.transforms.format;

/** What every verifier has: the key's name and ID, which pick its signature lines in a note. */
abstract class KeyedNoteVerifier implements NoteVerifier {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final int keyId;

  KeyedNoteVerifier(String name, int keyId) {
    this.name = name;
    this.keyId = keyId;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int keyId() {
    return keyId;
  }
}
