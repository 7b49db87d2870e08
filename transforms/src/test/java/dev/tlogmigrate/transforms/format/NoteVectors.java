package dev.tlogmigrate.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shared signed-note vectors (src/test/resources/note-vectors.txt, format in its header). */
final class NoteVectors {
  static final List<Vector> ALL = load("note-vectors.txt");

  private NoteVectors() {}

  /** One "[id]" block: its FIELD: value lines, repeated fields in order. */
  record Vector(String id, Map<String, List<String>> fields) {
    List<String> all(String field) {
      return fields.getOrDefault(field, List.of());
    }

    String one(String field) {
      List<String> v = all(field);
      assertEquals(1, v.size(), id + ": want exactly one " + field);
      return v.get(0);
    }

    boolean has(String field) {
      return fields.containsKey(field);
    }

    @Override
    public String toString() {
      return id;
    }
  }

  private static List<Vector> load(String resource) {
    List<Vector> out = new ArrayList<>();
    String id = null;
    Map<String, List<String>> fields = null;
    for (String line : TestData.resourceString(resource).split("\n", -1)) {
      if (line.startsWith("#")) {
        continue; // comments and "#|" renderings
      }
      if (line.isBlank()) {
        if (id != null) {
          out.add(new Vector(id, fields));
          id = null;
        }
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        assertTrue(id == null, "vector without a blank line before " + line);
        id = line.substring(1, line.length() - 1);
        fields = new LinkedHashMap<>();
        continue;
      }
      int colon = line.indexOf(": ");
      assertNotNull(id, "field outside a vector: " + line);
      assertTrue(colon > 0, "not a FIELD: value line in " + id + ": " + line);
      fields
          .computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>())
          .add(line.substring(colon + 2));
    }
    if (id != null) {
      out.add(new Vector(id, fields));
    }
    return out;
  }
}
