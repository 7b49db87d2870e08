package dev.tlogmigrate.launcher.tools;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code --name=value} flags of the small tools (generate, serve), each declared once with its
 * default and meaning, which the launcher's usage prints; migrate and verify use Beam's options.
 */
public final class Flags {
  /**
   * One flag.
   *
   * @param fallback its default; null for a flag that must be given or has no value unless given
   */
  public record Flag(String name, @Nullable String fallback, boolean required, String description) {
    static Flag required(String name, String description) {
      return new Flag(name, null, true, description);
    }

    static Flag optional(String name, @Nullable String fallback, String description) {
      return new Flag(name, fallback, false, description);
    }
  }

  private final Map<String, Flag> known = new LinkedHashMap<>();
  private final Map<String, String> values = new HashMap<>();

  Flags(String[] args, List<Flag> flags) {
    flags.forEach(f -> known.put(f.name(), f));
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("want --name=value, got " + a);
      }
      String name = a.substring(2, eq);
      if (!known.containsKey(name)) {
        throw new IllegalArgumentException(
            "unknown flag --"
                + name
                + " (known: --"
                + String.join(", --", known.keySet())
                + "; --help explains them)");
      }
      values.put(name, a.substring(eq + 1));
    }
    for (Flag f : flags) {
      if (f.required() && !values.containsKey(f.name())) {
        throw new IllegalArgumentException("missing --" + f.name() + ": " + f.description());
      }
    }
  }

  /** The value given, else the flag's default (null for none). */
  @Nullable String get(String name) {
    Flag f = known.get(name);
    if (f == null) {
      throw new IllegalArgumentException("no flag --" + name + " declared");
    }
    return values.getOrDefault(name, f.fallback());
  }

  long getLong(String name) {
    String v = get(name);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": '" + v + "' is not a whole number");
    }
  }
}
