package dev.tlogmigrate.transforms.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Servers the tests start as processes of their own (the Spanner emulator, fake-gcs-server,
 * MariaDB, Tessera and TesseraCT servers).
 */
public final class TestProcesses {
  private TestProcesses() {}

  /**
   * Stops a server: politely, then by force after 10 s; deletes its log and the shutdown hook that
   * would have stopped it had the JVM ended first.
   */
  public static void stop(Process process, Path log, Thread stopAtExit)
      throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(log);
    Runtime.getRuntime().removeShutdownHook(stopAtExit);
  }

  /** A loopback port free a moment ago, for a server that cannot bind port 0 and report it. */
  public static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
