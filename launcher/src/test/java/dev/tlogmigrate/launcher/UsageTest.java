package dev.tlogmigrate.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.tools.Flags;
import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import java.lang.reflect.Method;
import java.nio.file.Path;
import org.apache.beam.sdk.options.Description;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line explains itself, and its errors name the option or resource that failed. */
class UsageTest {
  @Test
  void helpListsEveryOptionEveryCommandAndExamples() {
    Cli.Result r = Cli.run("--help");
    assertEquals(0, r.status(), r.err());
    for (Method m : MigrateOptions.class.getDeclaredMethods()) {
      if (m.isAnnotationPresent(Description.class)) {
        String name = m.getName().replaceFirst("^(get|is)", "");
        name = Character.toLowerCase(name.charAt(0)) + name.substring(1);
        assertTrue(r.out().contains("  --" + name + "="), "--" + name + " missing:\n" + r.out());
      }
    }
    for (String command : new String[] {"migrate", "verify", "generate", "serve"}) {
      assertTrue(r.out().contains("\n  " + command + " "), command);
    }
    assertTrue(r.out().contains("Default: tlog-tiles."), "defaults are shown");
    assertEquals(2, r.out().split("\n  tlog-migrate --source=", -1).length - 1, "two examples");
    assertTrue(r.out().contains("--help=DataflowPipelineOptions"), "Beam's help is reachable");
    assertTrue(r.out().lines().allMatch(l -> l.length() <= 100 || l.startsWith("  ")), r.out());
  }

  @Test
  void everyCommandHasItsOwnHelp() {
    Cli.Result verify = Cli.run("verify", "--help");
    assertEquals(0, verify.status());
    assertTrue(verify.out().startsWith("tlog-migrate verify "), verify.out());
    assertTrue(verify.out().contains("--source="));
    assertTrue(!verify.out().contains("--destination="), "an audit has no destination");

    for (String command : new String[] {"generate", "serve"}) {
      Cli.Result r = Cli.run(command, "--help");
      assertEquals(0, r.status(), r.err());
      for (Flags.Flag f : command.equals("serve") ? StaticLogServer.FLAGS : LogGenerator.FLAGS) {
        assertTrue(r.out().contains("  --" + f.name() + "="), command + " --" + f.name());
      }
    }
    assertTrue(Cli.run("help", "migrate").out().startsWith("tlog-migrate [migrate] "));
  }

  @Test
  void beamsOwnHelpStaysReachable() {
    Cli.Result r = Cli.run("--help=DirectOptions");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("--blockOnRun"), r.out());
  }

  @Test
  void noArgumentsIsAUsageError() {
    Cli.Result r = Cli.run();
    assertEquals(2, r.status());
    assertTrue(r.err().contains("tlog-migrate --help lists the options"), r.err());
  }

  @Test
  void errorsNameTheOption(@TempDir Path dir) {
    String dst = "--destination=" + dir.resolve("copy");
    String src = "--source=" + dir;
    assertError(
        "unknown option --sourceVerifierkey (did you mean --sourceVerifierKey?);"
            + " tlog-migrate --help lists them",
        src,
        dst,
        "--sourceVerifierkey=x");
    assertError("--source is required; tlog-migrate --help explains it", dst);
    assertError(
        "--witnessQuorum: 'many' is not a whole number; tlog-migrate --help",
        src,
        dst,
        "--sourceVerifierKey=x",
        "--witnessQuorum=many");
    assertError(
        "--sourceVerifierKey: malformed verifier key (want name+keyid+key): x",
        src,
        dst,
        "--sourceVerifierKey=x");
    assertError("--port: 'x' is not a whole number", "serve", "--dir=" + dir, "--port=x");
    assertError(
        "unknown command 'copy' (want migrate, verify, generate or serve)", "copy", "--help");
  }

  @Test
  void aFileSystemErrorNamesTheFile(@TempDir Path dir) throws Exception {
    Path file = java.nio.file.Files.writeString(dir.resolve("plain-file"), "x");
    assertError(
        file + "/.state: Not a directory",
        "--source=" + dir,
        "--destination=" + file,
        "--sourceVerifierKey=" + TestLogs.VKEY);
  }

  private static void assertError(String expected, String... args) {
    Cli.Result r = Cli.run(args);
    assertEquals(1, r.status(), r.all());
    assertEquals("tlog-migrate: error: " + expected + "\n", r.err(), r.all());
  }
}
