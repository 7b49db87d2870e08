package dev.tlogmigrate.launcher;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name=value} flags of the small tools (generate, serve); migrate uses Beam's options. */
final class Flags {
  private final Map<String, String> values = new HashMap<>();

  Flags(String[] args, String... known) {
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("want --name=value, got " + a);
      }
      String name = a.substring(2, eq);
      if (!List.of(known).contains(name)) {
        throw new IllegalArgumentException(
            "unknown flag --" + name + " (known: --" + String.join(", --", known) + ")");
      }
      values.put(name, a.substring(eq + 1));
    }
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return v;
  }

  long getLong(String name, long fallback) {
    return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
  }
}
