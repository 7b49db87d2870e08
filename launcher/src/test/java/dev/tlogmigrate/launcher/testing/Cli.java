package dev.tlogmigrate.launcher.testing;

import dev.tlogmigrate.launcher.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Runs the real command line in-process and captures what it prints. */
public final class Cli {
  public record Result(int status, String out, String err) {
    public String all() {
      return out + err;
    }
  }

  private Cli() {}

  public static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A migration with the DirectRunner's checks on, as tests should run it. */
  public static Result migrate(String source, Path destination, String vkey, String... extra) {
    return migrate(source, destination.toString(), vkey, extra);
  }

  /** The same, to a destination given as a location (a directory or a gs:// prefix). */
  public static Result migrate(String source, String destination, String vkey, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source=" + source,
                "--destination=" + destination,
                "--sourceVerifierKey=" + vkey,
                "--enforceImmutability=true",
                "--enforceEncodability=true",
                "--progressIntervalSeconds=0"));
    args.addAll(Arrays.asList(extra));
    return run(args.toArray(String[]::new));
  }

  /** Every regular file below dir, by relative path, with its bytes. */
  public static Map<String, byte[]> files(Path dir) {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
