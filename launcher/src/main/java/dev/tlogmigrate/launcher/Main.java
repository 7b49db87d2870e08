package dev.tlogmigrate.launcher;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code tlog-migrate [migrate] --source=... --destination=... --sourceVerifierKey=...}, plus the
 * tools around it: {@code verify} audits a log with nothing written, {@code generate} writes a
 * signed test log, {@code serve} serves a log directory over HTTP.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command and returns its exit status; errors are one line on {@code err}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : "migrate";
    String[] rest = args.length > 0 && !args[0].startsWith("-") ? Arrays.copyOfRange(args, 1, args.length) : args;
    try {
      switch (command) {
        case "migrate":
          new MigrateCommand(out, err).run(rest);
          return 0;
        case "verify":
          new VerifyCommand(out, err).run(rest);
          return 0;
        case "generate":
          LogGenerator.main(rest, out);
          return 0;
        case "serve":
          StaticLogServer.main(rest, out);
          return 0;
        default:
          err.println("tlog-migrate: unknown command '" + command + "' (want migrate, verify, generate or serve)");
          return 2;
      }
    } catch (Exception e) {
      err.println("tlog-migrate: error: " + Errors.oneLine(e));
      return 1;
    }
  }
}
