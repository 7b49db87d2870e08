package dev.tlogmigrate.launcher;

import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code tlog-migrate [migrate] --source=... --destination=... --sourceVerifierKey=...}, plus the
 * tools around it: {@code verify} audits a log with nothing written, {@code generate} writes a
 * signed test log, {@code serve} serves a log directory over HTTP.
 */
public final class Main {
  private Main() {}

  /**
   * The Spanner client logs its whole configuration at INFO on every start; the command line wants
   * its own lines. Held here so that the levels stick; set for this process only, not in tests.
   */
  private static final List<Logger> QUIETED =
      List.of(
          Logger.getLogger("com.google.cloud.spanner"), Logger.getLogger("com.google.cloud.grpc"));

  /**
   * Beam's credential factory logs a stack trace when it finds no credentials and goes on without
   * them; the run then stops with one line saying what was looked for (GcpAuth).
   */
  private static final Logger CREDENTIALS =
      Logger.getLogger("org.apache.beam.sdk.extensions.gcp.auth.GcpCredentialFactory");

  public static void main(String[] args) {
    BeamOptionsRegistry.startFor(args);
    QUIETED.forEach(l -> l.setLevel(Level.WARNING));
    CREDENTIALS.setLevel(Level.SEVERE);
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command and returns its exit status; errors are one line on {@code err}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : "migrate";
    String[] rest =
        args.length > 0 && !args[0].startsWith("-")
            ? Arrays.copyOfRange(args, 1, args.length)
            : args;
    try {
      if (args.length == 0) {
        Usage.brief(err);
        return 2;
      }
      if (command.equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
        if (command.equals("help") && rest.length > 0) {
          Usage.command(rest[0], out);
        } else {
          Usage.general(out);
        }
        return 0;
      }
      for (String a : args) {
        if (a.startsWith("--help=")) {
          Usage.beamInterface(a.substring("--help=".length()), out);
          return 0;
        }
        if (a.equals("--help") || a.equals("-h")) {
          Usage.command(command, out);
          return 0;
        }
      }
      switch (command) {
        case "migrate" -> new MigrateCommand(out, err).run(rest);
        case "verify" -> new VerifyCommand(out, err).run(rest);
        case "generate" -> LogGenerator.main(rest, out);
        case "serve" -> StaticLogServer.main(rest, out);
        default -> {
          err.println(
              "tlog-migrate: unknown command '"
                  + command
                  + "' (want migrate, verify, generate or serve; tlog-migrate --help)");
          return 2;
        }
      }
      return 0;
    } catch (Exception e) {
      err.println("tlog-migrate: error: " + Errors.oneLine(e));
      return 1;
    }
  }
}
