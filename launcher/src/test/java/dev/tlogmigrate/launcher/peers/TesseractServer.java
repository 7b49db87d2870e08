package dev.tlogmigrate.launcher.peers;

import dev.tlogmigrate.transforms.testing.TestProcesses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A running TesseraCT POSIX server on a loopback port; closing it stops it (SIGTERM). */
public final class TesseractServer implements AutoCloseable {
  private static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(200);

  private final Tesseract tesseract;
  private final Process process;
  private final Path storage;
  private final Path log;
  public final String url;

  private TesseractServer(Tesseract tesseract, Process process, Path storage, Path log, int port) {
    this.tesseract = tesseract;
    this.process = process;
    this.storage = storage;
    this.log = log;
    this.url = "http://127.0.0.1:" + port;
  }

  public static TesseractServer start(
      Tesseract t, Path storage, String origin, Duration garbageCollection) throws IOException {
    Files.createDirectories(storage);
    Path log = storage.resolveSibling(storage.getFileName() + ".tesseract.log");
    int port = TestProcesses.freeLoopbackPort();
    ProcessBuilder pb =
        new ProcessBuilder(
                t.server.toString(),
                "--storage_dir=" + storage,
                "--origin=" + origin,
                "--private_key=" + t.pki.resolve("log-key.pem"),
                "--roots_pem_file=" + t.pki.resolve("roots.pem"),
                "--http_endpoint=127.0.0.1:" + port,
                "--checkpoint_interval=" + CHECKPOINT_INTERVAL.toMillis() + "ms",
                // Submissions return once sequenced; tests wait for the checkpoint instead.
                "--enable_publication_awaiter=false",
                "--garbage_collection_interval=" + garbageCollection.toMillis() + "ms")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // Its metrics exporter: never during a test, and to a closed loopback port when it exits.
    pb.environment().put("OTEL_METRIC_EXPORT_INTERVAL", "3600000");
    pb.environment().put("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://127.0.0.1:9/v1/metrics");
    TesseractServer s = new TesseractServer(t, pb.start(), storage, log, port);
    s.awaitListening(port);
    return s;
  }

  /** Submits n chains with serials first.. and returns the leaf index of each, in serial order. */
  public List<Long> submit(long first, int n, Path keepFirstRequest) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "submit",
                "-dir",
                tesseract.pki.toString(),
                "-url",
                url,
                "-first",
                "" + first,
                "-n",
                "" + n));
    if (keepFirstRequest != null) {
      args.addAll(List.of("-keep", keepFirstRequest.toString()));
    }
    return harness(args).lines().map(l -> Long.parseLong(l.split(" ")[2])).toList();
  }

  /** Sends a request that submit kept again; the leaf index TesseraCT answers with. */
  public long resubmit(Path request) throws IOException {
    return Long.parseLong(
        harness(List.of("resubmit", "-url", url, "-request", request.toString())).strip());
  }

  /** Waits until TesseraCT has published a checkpoint of exactly size. */
  public void awaitCheckpoint(long size) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = Files.readString(storage.resolve("checkpoint"), StandardCharsets.UTF_8);
        if (last.split("\n")[1].equals(Long.toString(size))) {
          return;
        }
      } catch (NoSuchFileException e) {
        // not yet published
      }
      Thread.sleep(CHECKPOINT_INTERVAL.toMillis());
    }
    throw new AssertionError(
        "TesseraCT published no checkpoint of size " + size + "; last:\n" + last + logTail());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("TesseraCT did not stop on SIGTERM" + logTail());
    }
  }

  private String harness(List<String> args) throws IOException {
    try {
      return tesseract.harness(args.toArray(String[]::new));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + logTail(), e);
    }
  }

  private void awaitListening(int port) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("TesseraCT exited with " + process.exitValue() + logTail());
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
    process.destroyForcibly();
    throw new AssertionError("TesseraCT did not listen on port " + port + logTail());
  }

  private String logTail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return "\n"
        + log
        + ":\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }
}
