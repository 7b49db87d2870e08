package dev.tlogmigrate.transforms.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a signed note against trusted keys with Go's sumdb/note rules: signatures are matched to
 * keys by (name, key ID); unknown ones are skipped; a trusted key's bad signature rejects the note;
 * at least one trusted key must have signed.
 */
public final class NoteVerification {
  private NoteVerification() {}

  /** Returns the keys whose signatures verified, in order of appearance. */
  public static List<NoteVerifier> verify(
      String resource, SignedNote note, List<NoteVerifier> trusted) {
    Map<String, NoteVerifier> byLabel = new HashMap<>();
    for (NoteVerifier v : trusted) {
      if (byLabel.putIfAbsent(v.keyLabel(), v) != null) {
        throw new IllegalArgumentException(
            "two trusted keys share the name and ID " + v.keyLabel());
      }
    }
    byte[] text = note.text();
    List<NoteVerifier> verified = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<String> unknown = new ArrayList<>();
    for (SignedNote.Signature sig : note.signatures()) {
      NoteVerifier v = byLabel.get(sig.keyLabel());
      if (v == null) {
        if (!unknown.contains(sig.keyLabel())) {
          unknown.add(sig.keyLabel());
        }
        continue;
      }
      if (!seen.add(sig.keyLabel())) {
        continue; // Go verifies only the first signature line of a key.
      }
      if (!v.verify(text, sig.signature())) {
        throw new InvalidLogException(resource + ": invalid signature by " + sig.keyLabel());
      }
      verified.add(v);
    }
    if (verified.isEmpty()) {
      List<String> want = trusted.stream().map(NoteVerifier::keyLabel).toList();
      throw new InvalidLogException(
          resource
              + ": no signature by "
              + String.join(", ", want)
              + (unknown.isEmpty() ? "" : " (signed only by " + String.join(", ", unknown) + ")"));
    }
    return verified;
  }
}
