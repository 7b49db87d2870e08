package dev.tlogmigrate.transforms.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Test peers written in Go (Tessera, TesseraCT, fake-gcs-server), built from a Go module of ours
 * under {@code src/test/go/} with the machine's {@code go} and modules from the Go module proxy,
 * pinned by the module's committed {@code go.mod} and {@code go.sum}. Binaries go under the Maven
 * module's {@code target/go-bin/}; Go's own build and module caches make a second build quick.
 *
 * <p>Where {@code go} is missing a test that needs it is skipped, saying why; with {@value
 * #REQUIRE_GO}=1 (as {@code .ci/run} sets it) it fails instead, so CI never passes without the
 * peers.
 */
public final class GoPrograms {
  /** Set to 1 by {@code .ci/run}: a missing {@code go} fails the tests that need it. */
  public static final String REQUIRE_GO = "TLOG_MIGRATE_REQUIRE_GO";

  private static final Map<Path, Path> BUILT = new ConcurrentHashMap<>();

  private GoPrograms() {}

  /**
   * The binary of package {@code pkg} (as {@code go build} takes it, e.g. {@code ./harness} or a
   * module's package path) of the Go module in {@code moduleDir}, built once per JVM into {@code
   * target/go-bin/<name>}.
   */
  public static Path build(Path moduleDir, String pkg, String name) {
    Path module = moduleDir.toAbsolutePath().normalize();
    Path out = Path.of("target", "go-bin", name).toAbsolutePath();
    return BUILT.computeIfAbsent(out, o -> compile(module, pkg, o));
  }

  /** The {@code go} command: $GO, else the PATH, else the toolchain's usual place. */
  public static Optional<Path> goCommand() {
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getenv("GO")).ifPresent(g -> candidates.add(Path.of(g)));
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, "go"));
      }
    }
    candidates.add(Path.of("/usr/local/go/bin/go"));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  private static Path compile(Path module, String pkg, Path out) {
    Optional<Path> go = goCommand();
    if (go.isEmpty()) {
      String why =
          "no Go toolchain (go) on this machine: cannot build the Go test peer "
              + out.getFileName();
      if ("1".equals(System.getenv(REQUIRE_GO))) {
        Assertions.fail(why + ", and " + REQUIRE_GO + "=1 forbids skipping");
      }
      Assumptions.abort(why + "; skipping");
    }
    try {
      Files.createDirectories(out.getParent());
      Path log = out.resolveSibling(out.getFileName() + ".build.log");
      ProcessBuilder pb =
          new ProcessBuilder(go.get().toString(), "build", "-trimpath", "-o", out.toString(), pkg)
              .directory(module.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      // The pinned go.mod and go.sum decide every version; never a toolchain download.
      pb.environment().put("GOTOOLCHAIN", "local");
      pb.environment().put("GOFLAGS", "-mod=readonly -buildvcs=false");
      Process p = pb.start();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(
            "go build of " + pkg + " in " + module + " took over 15 minutes; see " + log);
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            "go build of "
                + pkg
                + " in "
                + module
                + " failed:\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("go build of " + pkg + " in " + module + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted building " + pkg, e);
    }
  }
}
