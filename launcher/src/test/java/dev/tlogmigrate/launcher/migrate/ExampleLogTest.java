package dev.tlogmigrate.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.testing.Cli;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.launcher.testing.TreeAssertions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: the example log shipped in launcher/example-log migrates as is. */
class ExampleLogTest {
  static final String EXAMPLE_VKEY =
      "example.com/tlog-migrate/example+1b6554d9+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";

  @TempDir Path tmp;

  @Test
  void exampleLogMigrates() {
    Path example = Path.of("example-log"); // tests run in launcher/
    Path destination = tmp.resolve("example-copy");

    Cli.Result r = Cli.migrate(example.toString(), destination, EXAMPLE_VKEY);

    assertEquals(0, r.status(), r.all());
    assertTrue(
        r.out()
            .contains(
                "committed tree size 25000, root fh5GzG6Q0s4dspqaOI6/Uz0PhTJlD2l81LjDQGgiEFo="),
        r.out());
    TreeAssertions.assertSameFiles(example, destination);
  }

  @Test
  void generatorKeyIsTheExampleKey() {
    assertEquals(EXAMPLE_VKEY, TestLogs.VKEY);
  }
}
