package dev.tlogmigrate.launcher;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Beam's option parsing with errors that name the option: Beam reports a bad number without the
 * option it was given for, an unknown option as a missing property of a Java interface, and a
 * missing one with its whole description.
 */
final class OptionsParser {
  private static final Pattern UNKNOWN =
      Pattern.compile("missing a property named '([^']+)'\\.?(?: Did you mean '([^']+)'\\?)?");
  private static final Pattern MISSING = Pattern.compile("Missing required value for \\[--(\\w+),");

  private OptionsParser() {}

  /**
   * @param validate whether options marked required must be given (a migration's), or not (an
   *     audit's, which has no destination)
   */
  static MigrateOptions parse(String[] args, boolean validate) {
    PipelineOptionsFactory.register(MigrateOptions.class);
    for (String arg : args) {
      checkValue(arg);
    }
    try {
      return build(args, validate);
    } catch (IllegalArgumentException e) {
      if (UNKNOWN.matcher(message(e)).find() && BeamOptionsRegistry.registerAll()) {
        // An option of an interface that a run on the DirectRunner does not register at first.
        return parse(args, validate);
      }
      // Not the cause of ours: the one-line error shows the deepest argument error it finds.
      String m = message(e);
      Matcher unknown = UNKNOWN.matcher(m);
      if (unknown.find()) {
        throw new IllegalArgumentException(
            "unknown option --"
                + unknown.group(1)
                + (unknown.group(2) != null ? " (did you mean --" + unknown.group(2) + "?)" : "")
                + "; tlog-migrate --help lists them");
      }
      Matcher missing = MISSING.matcher(m);
      if (missing.find()) {
        throw new IllegalArgumentException(
            "--" + missing.group(1) + " is required; tlog-migrate --help explains it");
      }
      throw e;
    }
  }

  private static MigrateOptions build(String[] args, boolean validate) {
    PipelineOptionsFactory.Builder b = PipelineOptionsFactory.fromArgs(args);
    return (validate ? b.withValidation() : b).as(MigrateOptions.class);
  }

  private static String message(IllegalArgumentException e) {
    return e.getMessage() == null ? "" : e.getMessage();
  }

  /** A number or a boolean that Beam's JSON parsing would refuse without naming the option. */
  private static void checkValue(String arg) {
    int eq = arg.indexOf('=');
    if (!arg.startsWith("--") || eq < 0) {
      return;
    }
    String name = arg.substring(2, eq);
    String value = arg.substring(eq + 1);
    Optional<Class<?>> type = propertyType(name);
    if (type.isEmpty()) {
      return;
    }
    Class<?> t = type.get();
    try {
      if (t == int.class || t == Integer.class) {
        Integer.parseInt(value);
      } else if (t == long.class || t == Long.class) {
        Long.parseLong(value);
      } else if (t == double.class || t == Double.class) {
        Double.parseDouble(value);
      } else if ((t == boolean.class || t == Boolean.class)
          && !value.toLowerCase(Locale.ROOT).matches("true|false")) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + name + ": '" + value + "' is not " + describe(t) + "; tlog-migrate --help");
    }
  }

  private static Optional<Class<?>> propertyType(String name) {
    String capitalised = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (Method m : MigrateOptions.class.getMethods()) {
      if (m.getParameterCount() == 0
          && (m.getName().equals("get" + capitalised) || m.getName().equals("is" + capitalised))) {
        return Optional.of(m.getReturnType());
      }
    }
    return Optional.empty();
  }

  private static String describe(Class<?> t) {
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
      return "a whole number";
    }
    return t == double.class || t == Double.class ? "a number" : "true or false";
  }
}
