package dev.tlogmigrate.launcher;

import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.gcs.GcsConnection;
import dev.tlogmigrate.transforms.storage.http.HttpSettings;
import dev.tlogmigrate.transforms.storage.http.HttpStorage;
import dev.tlogmigrate.transforms.storage.s3.S3Connection;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.jspecify.annotations.Nullable;

/**
 * What {@code migrate} and {@code verify} set up alike from their options: the runner tuned, the
 * source and how it and the destination are reached (HTTP politeness, GCS, S3), and the refusal of
 * local directories that remote workers would not share.
 */
final class RunSetup {
  private final MigrateOptions options;
  private final GcsConnection gcs;
  private final S3Connection s3;
  private final LogLocation source;
  private final long startedNanos = System.nanoTime();

  private RunSetup(MigrateOptions options, String[] args) throws IOException {
    this.options = options;
    tuneDirectRunner(options, args);
    gcs = GcsConnection.from(options);
    s3 =
        S3Connection.of(
            options.getS3Endpoint(), options.getS3Region(), options.getS3PathStyleAccess());
    source = location(options.getSource()).withHttp(sourceHttp(options));
  }

  /** Sets a run up from its parsed options and the arguments they came from. */
  static RunSetup of(MigrateOptions options, String[] args) throws IOException {
    return new RunSetup(options, args);
  }

  MigrateOptions options() {
    return options;
  }

  LogLocation source() {
    return source;
  }

  /** When the run started, for the summary's rate. */
  long startedNanos() {
    return startedNanos;
  }

  /** A location given on the command line, reached through the run's GCS and S3 connections. */
  LogLocation location(String value) {
    return LogLocation.of(value).withGcs(gcs).withS3(s3);
  }

  /**
   * Keeps the source's HTTP client (its connection pool and request budget) open from the planner's
   * reads to the end of an in-process pipeline, whose readers share it, so that a connection (a TLS
   * handshake) is made once per run; nothing to hold for a source not read over HTTP.
   */
  @Nullable Closeable holdSourceClient() {
    return source.isHttp() ? HttpStorage.holdClient(source.http()) : null;
  }

  /**
   * Workers of a runner other than the DirectRunner have their own disks: a directory there is not
   * the one this process plans, locks and reports on. Refused before anything is planned or
   * submitted.
   */
  void refuseLocalPathsOnRemoteWorkers(LogLocation destination) {
    if (options.getRunner() == DirectRunner.class) {
      return;
    }
    for (LogLocation l : List.of(source, destination)) {
      if (l.isLocal()) {
        throw new IllegalArgumentException(
            (l == source ? "--source " : "--destination ")
                + l
                + " is a local directory, which the "
                + options.getRunner().getSimpleName()
                + "'s workers do not share: give a gs:// or s3:// location"
                + (l == source ? " or an http(s):// URL" : "")
                + ", or run with the DirectRunner");
      }
    }
  }

  /**
   * How the source is read over HTTP: one connection per concurrent fetch, and the politeness
   * options.
   */
  private static HttpSettings sourceHttp(MigrateOptions options) throws IOException {
    if (options.getMaxConcurrentFetches() < 1) {
      throw new IllegalArgumentException(
          "--maxConcurrentFetches must be at least 1, not " + options.getMaxConcurrentFetches());
    }
    if (!(options.getMaxRequestsPerSecond() >= 0)) {
      throw new IllegalArgumentException(
          "--maxRequestsPerSecond must be 0 (no cap) or more, not "
              + options.getMaxRequestsPerSecond());
    }
    return HttpSettings.builder()
        .maxConnections(options.getMaxConcurrentFetches())
        .maxRequestsPerSecond(options.getMaxRequestsPerSecond())
        .userAgentContact(options.getUserAgentContact().trim())
        .bearerToken(
            SecretOptions.of(
                "sourceBearerToken",
                options.getSourceBearerToken(),
                options.getSourceBearerTokenFile(),
                options.getSourceBearerTokenEnv(),
                remoteWorkers(options)))
        .trustedCertificatesPem(trustedCertificates(options.getSourceTrustedCertificates()))
        .build();
  }

  /** Whether the runner's workers are other machines than this one. */
  static boolean remoteWorkers(MigrateOptions options) {
    return options.getRunner() != DirectRunner.class;
  }

  /**
   * The PEM text of --sourceTrustedCertificates: given inline, or read from the launcher's file.
   */
  private static @Nullable String trustedCertificates(String value) throws IOException {
    if (value == null || value.isBlank()) { // a template's empty parameter
      return null;
    }
    return value.strip().startsWith("-----BEGIN")
        ? value
        : Files.readString(Path.of(value), StandardCharsets.US_ASCII);
  }

  /**
   * Outside tests the DirectRunner's immutability and encodability checks only cost time (several
   * times the run). Its threads: as many as the cores, at least 2. A range fetches many bundles at
   * once on the process's fetch pool, so two ranges keep the pool busy across range boundaries; and
   * whenever one of the runner's threads is idle its monitor spins on it (Beam's
   * ExecutorServiceParallelExecutor resubmits the monitor at once: launcher/benchmark/PROFILE.md).
   * Explicit flags win.
   */
  private static void tuneDirectRunner(MigrateOptions options, String[] args) {
    if (options.getRunner() != DirectRunner.class) {
      return;
    }
    DirectOptions direct = options.as(DirectOptions.class);
    direct.setBlockOnRun(false);
    if (!given(args, "enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!given(args, "enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!given(args, "targetParallelism")) {
      direct.setTargetParallelism(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }
  }

  private static boolean given(String[] args, String option) {
    return Arrays.stream(args)
        .anyMatch(a -> a.startsWith("--" + option + "=") || a.equals("--" + option));
  }
}
