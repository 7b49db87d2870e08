package dev.tlogmigrate.launcher;

import dev.tlogmigrate.launcher.tools.Flags;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * What {@code --help} prints: the tool, its commands, every option with its meaning and default
 * (read from {@link MigrateOptions}' own annotations, so that a new option is listed as it is
 * added), and examples. Beam's help for an options interface stays reachable with {@code
 * --help=NAME}.
 */
final class Usage {
  private static final int WIDTH = 100;

  /** Options that only a migration has: an audit writes nowhere. */
  private static final Predicate<String> MIGRATE_ONLY =
      name ->
          name.equals("destination")
              || name.equals("compareSourceTiles")
              || name.startsWith("tessera")
              || name.equals("spannerEmulatorHost");

  private static final String KEY = "example.com/log+1b6554d9+ATtq...";

  private Usage() {}

  /** The whole help: the tool, its commands, the options and examples. */
  static void general(PrintStream out) {
    commands(out);
    migrateOptions(out);
  }

  /** What a bare {@code tlog-migrate} prints: the tool and its commands. */
  static void brief(PrintStream out) {
    commands(out);
    out.println("tlog-migrate --help lists the options, with examples.");
  }

  private static void commands(PrintStream out) {
    out.println(
        """
        tlog-migrate: a verified copy of a transparency log (C2SP tlog-tiles, or static-ct-api for
        Certificate Transparency), ready for Tessera to take over. Nothing from the source is
        trusted: the checkpoint's signature, every entry, every rebuilt tile and the root are checked
        before the destination's tree state and checkpoint advance. Run it again to copy only what
        the source added since: that keeps a verified mirror in sync.

        Usage:
          tlog-migrate [migrate] --source=LOG --destination=LOG --sourceVerifierKey=KEY [options]
          tlog-migrate verify --source=LOG --sourceVerifierKey=KEY [options]
          tlog-migrate generate --output=DIR [options]
          tlog-migrate serve --dir=DIR [options]
          tlog-migrate COMMAND --help

        Commands:
          migrate   (the default) copy a log, or bring a copy up to date
          verify    audit a log where it is, writing nothing: every entry hashed, every tile
                    rebuilt and compared with the source's own, the root compared; lists what
                    differs and exits 1 if anything does
          generate  write a signed test log into a directory
          serve     serve a log directory over HTTP(S) on 127.0.0.1
        """);
  }

  static void command(String command, PrintStream out) {
    switch (command) {
      case "migrate" -> {
        out.println(
            """
            tlog-migrate [migrate] --source=LOG --destination=LOG --sourceVerifierKey=KEY [options]

            Copies the source log from the destination's committed size up to the source's verified
            checkpoint, and commits (Tessera's database if given, .state/treeState, the checkpoint)
            only once the rebuilt tree's root equals the checkpoint's.
            """);
        migrateOptions(out);
      }
      case "verify" -> {
        out.println(
            """
            tlog-migrate verify --source=LOG --sourceVerifierKey=KEY [options]

            Audits a log where it is, writing nothing: verifies the checkpoint, hashes every entry,
            rebuilds every hash tile and compares it with the source's own, checks a static-ct log's
            issuers, compares the root. Lists every mismatch (up to a limit); exits 1 if any.
            """);
        options(out, MIGRATE_ONLY.negate());
        beam(out);
      }
      case "generate" -> flags(out, "generate", LogGenerator.SUMMARY, LogGenerator.FLAGS);
      case "serve" -> flags(out, "serve", StaticLogServer.SUMMARY, StaticLogServer.FLAGS);
      default ->
          throw new IllegalArgumentException(
              "unknown command '" + command + "' (want migrate, verify, generate or serve)");
    }
  }

  /** Beam's own help for one of its options interfaces, by simple or full name. */
  static void beamInterface(String name, PrintStream out) {
    BeamOptionsRegistry.registerAll();
    PipelineOptionsFactory.register(MigrateOptions.class);
    Optional<Class<? extends PipelineOptions>> iface =
        PipelineOptionsFactory.getRegisteredOptions().stream()
            .filter(c -> c.getSimpleName().equals(name) || c.getName().equals(name))
            .findFirst();
    if (iface.isEmpty()) {
      throw new IllegalArgumentException(
          "--help="
              + name
              + ": no such options interface (try PipelineOptions, DirectOptions,"
              + " DataflowPipelineOptions)");
    }
    PipelineOptionsFactory.printHelp(out, iface.get());
  }

  private static void migrateOptions(PrintStream out) {
    options(out, name -> true);
    beam(out);
    out.print(
        wrap(
            "Examples:",
            "",
            "Copy a log served over HTTPS into a directory; the same command later brings the copy"
                + " up to date:",
            "  tlog-migrate --source=https://log.example/ --destination=/srv/log \\\n"
                + "    --sourceVerifierKey="
                + KEY,
            "",
            "Move a log between buckets on Google Cloud Dataflow, for Tessera on Google Cloud to"
                + " take over:",
            "  tlog-migrate --source=gs://old-bucket/log --destination=gs://new-bucket/log \\\n"
                + "    --sourceVerifierKey="
                + KEY
                + " \\\n"
                + "    --tesseraSpannerDatabase=projects/P/instances/I/databases/D \\\n"
                + "    --runner=DataflowRunner --project=P --region=us-central1"
                + " --tempLocation=gs://tmp-bucket/tlog-migrate"));
  }

  private static void options(PrintStream out, Predicate<String> shown) {
    out.println("Options:");
    List<Method> getters = new ArrayList<>();
    for (Method m : MigrateOptions.class.getDeclaredMethods()) {
      if (m.getParameterCount() == 0 && m.isAnnotationPresent(Description.class)) {
        getters.add(m);
      }
    }
    getters.sort(
        Comparator.comparing((Method m) -> !m.isAnnotationPresent(Validation.Required.class))
            .thenComparing(Usage::optionName));
    for (Method m : getters) {
      String name = optionName(m);
      if (!shown.test(name)) {
        continue;
      }
      String fallback = fallback(m);
      out.println(
          entry(
              "--" + name + "=" + placeholder(m.getReturnType()),
              m.getAnnotation(Description.class).value()
                  + (m.isAnnotationPresent(Validation.Required.class) ? " Required." : "")
                  + (fallback == null ? "" : " Default: " + fallback + ".")));
    }
  }

  private static void beam(PrintStream out) {
    out.print(
        wrap(
            "",
            "Beam's pipeline options apply too (--runner=DirectRunner|DataflowRunner,"
                + " --targetParallelism, --project, --region, --tempLocation, ...);"
                + " tlog-migrate --help=DataflowPipelineOptions (or DirectOptions,"
                + " GcpOptions, ...) lists those of one interface.",
            ""));
  }

  private static void flags(PrintStream out, String command, String summary, List<Flags.Flag> fs) {
    out.print(wrap("tlog-migrate " + command + " [--name=value ...]", "", summary, ""));
    out.println("Options:");
    for (Flags.Flag f : fs) {
      out.println(
          entry(
              "--" + f.name() + "=VALUE",
              f.description()
                  + (f.required() ? ". Required." : ".")
                  + (f.fallback() == null ? "" : " Default: " + f.fallback() + ".")));
    }
  }

  private static String optionName(Method getter) {
    String n = getter.getName().replaceFirst("^(get|is)", "");
    return Character.toLowerCase(n.charAt(0)) + n.substring(1);
  }

  private static String placeholder(Class<?> type) {
    if (type == boolean.class || type == Boolean.class) {
      return "true|false";
    }
    if (Set.of(int.class, long.class, Integer.class, Long.class).contains(type)) {
      return "N";
    }
    return type == double.class || type == Double.class ? "X" : "VALUE";
  }

  private static String fallback(Method m) {
    if (m.isAnnotationPresent(Default.String.class)) {
      String v = m.getAnnotation(Default.String.class).value();
      return v.isEmpty() ? null : v;
    }
    if (m.isAnnotationPresent(Default.Integer.class)) {
      return String.valueOf(m.getAnnotation(Default.Integer.class).value());
    }
    if (m.isAnnotationPresent(Default.Long.class)) {
      return String.valueOf(m.getAnnotation(Default.Long.class).value());
    }
    if (m.isAnnotationPresent(Default.Double.class)) {
      double d = m.getAnnotation(Default.Double.class).value();
      return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
    if (m.isAnnotationPresent(Default.Boolean.class)) {
      return String.valueOf(m.getAnnotation(Default.Boolean.class).value());
    }
    return null;
  }

  /** An option on its own line, its text wrapped and indented beneath it. */
  private static String entry(String head, String text) {
    StringBuilder b = new StringBuilder("  ").append(head).append('\n');
    appendWrapped(b, text, "      ");
    return b.toString().stripTrailing();
  }

  private static String wrap(String... paragraphs) {
    StringBuilder b = new StringBuilder();
    for (String p : paragraphs) {
      if (p.startsWith("  ")) {
        b.append(p).append('\n'); // an example command: as written, never rewrapped
      } else {
        appendWrapped(b, p, "");
      }
    }
    return b.toString();
  }

  private static void appendWrapped(StringBuilder b, String text, String indent) {
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
        b.append(line).append('\n');
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    b.append(line).append('\n');
  }
}
