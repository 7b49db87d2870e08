package dev.tlogmigrate.transforms.format;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Requires cosignatures by at least {@code required} distinct witnesses on a note. Witnesses are
 * told apart by key name, so a witness with two configured keys counts once. As in {@link
 * NoteVerification}, signatures are matched to keys by (name, key ID), only the first line of a key
 * is checked, and a configured witness's invalid cosignature rejects the note.
 */
public final class WitnessQuorum implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<NoteVerifier> witnesses;
  private final int required;

  public WitnessQuorum(List<NoteVerifier> witnesses, int required) {
    Set<String> labels = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (NoteVerifier w : witnesses) {
      if (!labels.add(w.keyLabel())) {
        throw new IllegalArgumentException(
            "two witness keys share the name and ID " + w.keyLabel());
      }
      names.add(w.name());
    }
    if (required < 1 || required > names.size()) {
      throw new IllegalArgumentException(
          "witness quorum of "
              + required
              + " needs between 1 and "
              + names.size()
              + " (the configured witnesses)");
    }
    this.witnesses = List.copyOf(witnesses);
    this.required = required;
  }

  /** Returns the names of the witnesses whose cosignatures verified, in order of appearance. */
  public List<String> verify(String resource, SignedNote note) {
    Map<String, NoteVerifier> byLabel = new HashMap<>();
    for (NoteVerifier w : witnesses) {
      byLabel.put(w.keyLabel(), w);
    }
    byte[] text = note.text();
    Set<String> seen = new HashSet<>();
    Set<String> cosigned = new LinkedHashSet<>();
    for (SignedNote.Signature sig : note.signatures()) {
      NoteVerifier w = byLabel.get(sig.keyLabel());
      if (w == null || !seen.add(sig.keyLabel())) {
        continue;
      }
      if (!w.verify(text, sig.signature())) {
        throw new InvalidLogException(
            resource + ": invalid witness cosignature by " + sig.keyLabel());
      }
      cosigned.add(w.name());
    }
    if (cosigned.size() < required) {
      Set<String> all = new LinkedHashSet<>();
      witnesses.forEach(w -> all.add(w.name()));
      throw new InvalidLogException(
          String.format(
              "%s: cosigned by %d of the %d required witnesses (found: %s; configured: %s)",
              resource,
              cosigned.size(),
              required,
              cosigned.isEmpty() ? "none" : String.join(", ", cosigned),
              String.join(", ", all)));
    }
    return List.copyOf(cosigned);
  }
}
