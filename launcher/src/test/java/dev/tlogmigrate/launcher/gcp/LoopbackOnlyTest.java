package dev.tlogmigrate.launcher.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.launcher.Main;
import dev.tlogmigrate.launcher.testing.TestLogs;
import dev.tlogmigrate.transforms.testing.FakeGcsServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing leaves the machine: a migration into Tessera on Google Cloud with its antispam index,
 * against the Spanner emulator and a GCS server on loopback, run in a JVM of its own under {@code
 * strace -f}, connects to those two endpoints and nowhere else, and sends no DNS query. (The
 * Spanner client used to ask the GCP metadata server where it ran and resolve
 * monitoring.googleapis.com for metrics it would export, even for a client of the emulator.) Every
 * {@code connect}, {@code sendto} and {@code sendmsg} of the process and its threads is checked;
 * Unix sockets stay on the machine and are let through.
 *
 * <p>Without {@code strace} (Debian's package of that name), or where the machine forbids tracing,
 * the test is skipped, saying why; with {@value #REQUIRE}=1, as {@code .ci/run} sets it, it fails
 * instead.
 */
class LoopbackOnlyTest {
  static final String REQUIRE = "TLOG_MIGRATE_REQUIRE_STRACE";
  private static final String BUCKET = "tessera-log";

  @RegisterExtension static final SpannerEmulator SPANNER = new SpannerEmulator();
  @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer(BUCKET);

  /** An IPv4 or IPv6 socket address as strace prints it: its port, then its address. */
  private static final Pattern INET =
      Pattern.compile(
          "sa_family=AF_INET6?, sin6?_port=htons\\((\\d+)\\),.*?(?:inet_addr\\(|inet_pton\\(AF_INET6, )\"([^\"]+)\"");

  @TempDir Path tmp;

  @Test
  void aMigrationWithItsAntispamIndexTalksOnlyToTheEndpointsItWasGiven() throws Exception {
    Path strace = strace();
    Path source = TestLogs.generate(tmp.resolve("source"), 700);
    Path trace = tmp.resolve("trace");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                strace.toString(),
                "-f",
                "-qq",
                "-s",
                "256",
                "-e",
                "trace=connect,sendto,sendmsg,sendmmsg",
                "-o",
                trace.toString(),
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--source=" + source,
                "--destination=gs://" + BUCKET,
                "--sourceVerifierKey=" + TestLogs.VKEY,
                "--spannerEmulatorHost=" + SPANNER.host(),
                "--tesseraSpannerDatabase=" + SPANNER.newDatabase(),
                "--antispamDatabase=" + SPANNER.newDatabase(),
                "--progressIntervalSeconds=0"));
    command.addAll(GCS.flags());
    Path log = tmp.resolve("log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // As a user would run it: nothing in the environment that turns telemetry off.
    pb.environment().keySet().removeIf(k -> k.startsWith("SPANNER_") || k.startsWith("GOOGLE_"));
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the traced migration did not finish in 5 minutes");
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("antispam index: "), output);

    Set<String> allowed = Set.of(endpoint(SPANNER.host()), endpoint(GCS.endpoint()));
    Set<String> elsewhere = new TreeSet<>();
    Set<String> lookups = new TreeSet<>();
    int seen = 0;
    for (String line : Files.readAllLines(trace, StandardCharsets.UTF_8)) {
      Matcher m = INET.matcher(line);
      if (m.find()) {
        seen++;
        String to = m.group(2).replaceFirst("^::ffff:", "") + ":" + m.group(1);
        if (!allowed.contains(to)) {
          elsewhere.add(to);
        }
      }
      if (line.matches("\\d+ +send(to|msg|mmsg)\\(.*")) {
        Optional.ofNullable(dnsName(line)).ifPresent(lookups::add);
      }
    }
    assertTrue(seen > 0, "strace saw no connection at all: " + trace);
    assertEquals(Set.of(), lookups, "DNS queries");
    assertEquals(Set.of(), elsewhere, "connections beyond " + allowed);
  }

  /** {@code host:port} of an endpoint given as {@code host:port} or {@code http://host:port}. */
  private static String endpoint(String endpoint) {
    return endpoint.replaceFirst("^https?://", "").replaceFirst("/.*", "");
  }

  /**
   * The name a DNS query asks for, from the payload strace shows ({@code \10metadata\6google...}),
   * or null for a payload that is not one.
   */
  static String dnsName(String line) {
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
    if (!m.find()) {
      return null;
    }
    byte[] payload = unescape(m.group(1));
    if (payload.length < 13) {
      return null;
    }
    StringBuilder name = new StringBuilder();
    for (int i = 12; i < payload.length && payload[i] != 0; ) {
      int len = payload[i] & 0xff;
      if (len > 63 || i + 1 + len > payload.length) {
        break;
      }
      name.append(name.length() == 0 ? "" : ".")
          .append(new String(payload, i + 1, len, StandardCharsets.US_ASCII));
      i += 1 + len;
    }
    return name.toString().matches("[A-Za-z0-9_.-]+\\.[A-Za-z0-9_.-]+") ? name.toString() : null;
  }

  /** strace's C-style escapes (octal, \n, \t, \\, \") back to bytes. */
  private static byte[] unescape(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.write(c);
        continue;
      }
      char n = s.charAt(++i);
      if (n >= '0' && n <= '7') {
        int v = 0;
        int j = i;
        while (j < s.length() && j < i + 3 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
          v = v * 8 + (s.charAt(j++) - '0');
        }
        out.write(v);
        i = j - 1;
      } else {
        out.write(
            switch (n) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'r' -> '\r';
              case 'v' -> 0x0b;
              case 'f' -> '\f';
              default -> n;
            });
      }
    }
    return out.toByteArray();
  }

  /** strace, where it is installed and may trace; otherwise the test is skipped or fails. */
  private static Path strace() throws IOException, InterruptedException {
    Optional<Path> found = Optional.empty();
    List<String> dirs =
        new ArrayList<>(
            List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.add("/usr/bin");
    for (String d : dirs) {
      Path p = Path.of(d.isEmpty() ? "." : d, "strace");
      if (Files.isExecutable(p)) {
        found = Optional.of(p);
        break;
      }
    }
    String why = null;
    if (found.isEmpty()) {
      why = "no strace on this machine (Debian package strace)";
    } else {
      Process probe =
          new ProcessBuilder(found.get().toString(), "-qq", "-e", "trace=connect", "true")
              .redirectErrorStream(true)
              .start();
      String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
        why = "strace cannot trace here: " + out.strip();
      }
    }
    if (why != null) {
      if ("1".equals(System.getenv(REQUIRE))) {
        Assertions.fail(why + ", and " + REQUIRE + "=1 forbids skipping");
      }
      Assumptions.abort(why + ": cannot check what a run connects to");
    }
    return found.get();
  }
}
