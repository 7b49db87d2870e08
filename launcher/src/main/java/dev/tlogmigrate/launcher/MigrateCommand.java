package dev.tlogmigrate.launcher;

import dev.tlogmigrate.pipeline.MigrateLog;
import dev.tlogmigrate.pipeline.MigrationPlan;
import dev.tlogmigrate.pipeline.MigrationPlanner;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.format.CheckpointVerifier;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.NoteVerifier;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.VerifierKeys;
import dev.tlogmigrate.transforms.format.WitnessQuorum;
import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.directory.DirectoryLock;
import dev.tlogmigrate.transforms.storage.gcs.GcpAuth;
import dev.tlogmigrate.transforms.storage.gcs.GcsConnection;
import dev.tlogmigrate.transforms.storage.http.HttpSettings;
import dev.tlogmigrate.transforms.storage.s3.S3Connection;
import dev.tlogmigrate.transforms.tessera.TesseraDatabase;
import dev.tlogmigrate.transforms.tessera.mysql.TesseraMySqlConfig;
import dev.tlogmigrate.transforms.tessera.spanner.TesseraSpannerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.dataflow.util.DataflowTemplateJob;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/** Plans a migration, runs the pipeline with progress lines, and prints the summary. */
final class MigrateCommand {
  private final PrintStream out;
  private final PrintStream err;

  MigrateCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  void run(String[] args) throws IOException {
    MigrateOptions options = OptionsParser.parse(args, true);
    tuneDirectRunner(options, args);
    long started = System.nanoTime();

    GcsConnection gcs = GcsConnection.from(options);
    S3Connection s3 = s3Connection(options);
    LogLocation source =
        LogLocation.of(options.getSource()).withHttp(sourceHttp(options)).withGcs(gcs).withS3(s3);
    LogLocation destination = LogLocation.of(options.getDestination()).withGcs(gcs).withS3(s3);
    if (destination.isHttp()) {
      throw new IllegalArgumentException("the destination must be a directory, not " + destination);
    }
    refuseLocalPathsOnRemoteWorkers(options, source, destination);
    // A bucket has no lock file: there the tree state's conditional write (a GCS generation, an S3
    // ETag) keeps two runs apart.
    try (DirectoryLock lock =
            destination.isBucket() ? null : DirectoryLock.acquire(Path.of(destination.uri()));
        // Holds the source's connection pool open from the planner's reads to the end of an
        // in-process pipeline, whose readers share it: a connection (a TLS handshake) is made once
        // per run.
        LogStorage pool = source.isHttp() ? source.open() : null) {
      migrate(options, source, destination, started);
    }
  }

  private void migrate(
      MigrateOptions options, LogLocation source, LogLocation destination, long started)
      throws IOException {
    TesseraDatabase tessera = tesseraDatabase(options);
    MigrationPlan plan =
        MigrationPlanner.plan(
            source,
            destination,
            LogFormat.fromFlag(options.getFormat()),
            checkpointVerifier(options),
            tessera);
    out.printf(
        "source %s: checkpoint of '%s' verified, size %d, root %s%n",
        source,
        plan.checkpoint().origin(),
        plan.checkpoint().size(),
        plan.checkpoint().rootBase64());
    if (plan.upToDate()) {
      if (plan.checkpointStale()) {
        MigrationPlanner.publishCheckpoint(plan);
      }
      out.printf(
          "destination %s is already at size %d with that root: nothing to do%n",
          destination, plan.spec().treeSize());
      printTessera(tessera, plan);
      return;
    }
    long bundles =
        Tiles.bundleCount(plan.spec().treeSize()) - Tiles.edgeIndex(plan.spec().startSize(), 0);
    out.printf(
        "destination %s: committed size %d; copying %d entries in %d bundles%n",
        destination, plan.spec().startSize(), plan.entriesToCopy(), bundles);

    MigrationSpec spec = plan.spec();
    if (options.getCompareSourceTiles()) {
      spec = spec.withCompareSourceTiles();
    }
    PipelineResult result = runPipeline(options, spec, bundles, out, err);
    if (result == null) {
      return;
    }
    Summary.of(result, plan, System.nanoTime() - started).print(out);
    printTessera(tessera, plan);
    if (options.getCompareSourceTiles()) {
      SourceMismatches.of(result)
          .printAndFail(
              out,
              "the copy is committed, rebuilt from the verified entries, but the source serves");
    }
  }

  /**
   * Runs the pipeline of a spec with progress lines, tuned for the runner; null when the runner
   * only wrote a Dataflow job specification (a Flex Template launch) and there is nothing to wait
   * for.
   */
  static PipelineResult runPipeline(
      MigrateOptions options, MigrationSpec spec, long bundles, PrintStream out, PrintStream err) {
    spec = spec.withMaxConcurrentFetches(options.getMaxConcurrentFetches());
    if (options.getRunner() != DirectRunner.class) {
      spec = spec.forDistributedRunner();
    }
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply("MigrateLog", new MigrateLog(spec));
    PipelineResult result = pipeline.run();
    if (result instanceof DataflowTemplateJob) {
      // --templateLocation, as a Flex Template launch sets it: the runner wrote the job
      // specification and submitted nothing; the Dataflow service starts the job once this
      // process exits.
      out.printf(
          "Dataflow job specification written to %s; not waiting for the job%n",
          options.as(DataflowPipelineOptions.class).getTemplateLocation());
      return null;
    }
    ProgressReporter progress =
        new ProgressReporter(result, bundles, err, options.getProgressIntervalSeconds());
    try {
      progress.waitUntilFinish();
    } finally {
      progress.close();
    }
    return result;
  }

  /**
   * Workers of a runner other than the DirectRunner have their own disks: a directory there is not
   * the one this process plans, locks and reports on. Refused before anything is planned or
   * submitted.
   */
  static void refuseLocalPathsOnRemoteWorkers(
      MigrateOptions options, LogLocation source, LogLocation destination) {
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

  /** How s3:// locations reach S3: the endpoint, region and addressing the flags give. */
  static S3Connection s3Connection(MigrateOptions options) {
    return S3Connection.of(
        options.getS3Endpoint(), options.getS3Region(), options.getS3PathStyleAccess());
  }

  /**
   * How the source is read over HTTP: one connection per concurrent fetch, and the politeness
   * options.
   */
  static HttpSettings sourceHttp(MigrateOptions options) throws IOException {
    if (options.getMaxConcurrentFetches() < 1) {
      throw new IllegalArgumentException(
          "--maxConcurrentFetches must be at least 1, not " + options.getMaxConcurrentFetches());
    }
    if (!(options.getMaxRequestsPerSecond() >= 0)) {
      throw new IllegalArgumentException(
          "--maxRequestsPerSecond must be 0 (no cap) or more, not "
              + options.getMaxRequestsPerSecond());
    }
    String token = options.getSourceBearerToken();
    return HttpSettings.builder()
        .maxConnections(options.getMaxConcurrentFetches())
        .maxRequestsPerSecond(options.getMaxRequestsPerSecond())
        .userAgentContact(options.getUserAgentContact().trim())
        .bearerToken(token == null || token.isBlank() ? null : token.trim())
        .trustedCertificatesPem(trustedCertificates(options.getSourceTrustedCertificates()))
        .build();
  }

  /**
   * The PEM text of --sourceTrustedCertificates: given inline, or read from the launcher's file.
   */
  private static String trustedCertificates(String value) throws IOException {
    if (value == null || value.isBlank()) { // a template's empty parameter
      return null;
    }
    return value.strip().startsWith("-----BEGIN")
        ? value
        : Files.readString(Path.of(value), StandardCharsets.US_ASCII);
  }

  /** The Tessera deployment's database that takes the destination over, or null. */
  private static TesseraDatabase tesseraDatabase(MigrateOptions options) {
    boolean spanner = isSet(options.getTesseraSpannerDatabase());
    boolean mySql = isSet(options.getTesseraMySqlUrl());
    if (spanner && mySql) {
      throw new IllegalArgumentException(
          "--tesseraSpannerDatabase (Tessera on Google Cloud) and --tesseraMySqlUrl (Tessera on AWS)"
              + " exclude each other: a log has one Tessera deployment");
    }
    if (!spanner && isSet(options.getTesseraSpannerTablePrefix())) {
      throw new IllegalArgumentException(
          "--tesseraSpannerTablePrefix needs --tesseraSpannerDatabase");
    }
    if (!mySql
        && (isSet(options.getTesseraMySqlUser()) || isSet(options.getTesseraMySqlPassword()))) {
      throw new IllegalArgumentException(
          "--tesseraMySqlUser and --tesseraMySqlPassword need --tesseraMySqlUrl");
    }
    if (mySql) {
      return TesseraMySqlConfig.of(
          options.getTesseraMySqlUrl(),
          options.getTesseraMySqlUser(),
          options.getTesseraMySqlPassword());
    }
    if (!spanner) {
      return null;
    }
    String emulator =
        options.getSpannerEmulatorHost() != null
            ? options.getSpannerEmulatorHost()
            : System.getenv("SPANNER_EMULATOR_HOST");
    return TesseraSpannerConfig.of(
            options.getTesseraSpannerDatabase(), options.getTesseraSpannerTablePrefix())
        .withAccess(emulator, GcpAuth.from(options));
  }

  /** Whether an option has a value: a template's unset parameter arrives empty. */
  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  private void printTessera(TesseraDatabase tessera, MigrationPlan plan) {
    if (tessera != null) {
      out.printf(
          "Tessera database %s: IntCoord at size %d with that root, SeqCoord.next %d%n",
          tessera, plan.spec().treeSize(), plan.spec().treeSize());
    }
  }

  /**
   * The log's key (a verifier key or a static-ct public key) and the witnesses that must cosign.
   */
  static CheckpointVerifier checkpointVerifier(MigrateOptions options) {
    String vkey = options.getSourceVerifierKey();
    String publicKey = options.getSourcePublicKey();
    if (vkey == null && publicKey == null) {
      throw new IllegalArgumentException(
          "give the source log's key: --sourceVerifierKey or --sourcePublicKey");
    }
    List<NoteVerifier> keys =
        vkey == null ? List.of() : List.of(parseKey("--sourceVerifierKey", vkey));
    byte[] spki = null;
    if (publicKey != null) {
      try {
        spki = Base64.getDecoder().decode(publicKey.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--sourcePublicKey is not base64: " + e.getMessage());
      }
    }
    List<String> witnessKeys =
        options.getWitnessKey() == null ? List.of() : options.getWitnessKey();
    WitnessQuorum quorum = null;
    if (options.getWitnessQuorum() > 0) {
      quorum =
          new WitnessQuorum(
              witnessKeys.stream().map(k -> parseKey("--witnessKey", k)).toList(),
              options.getWitnessQuorum());
    } else if (!witnessKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "--witnessKey needs --witnessQuorum=K (how many must have cosigned)");
    }
    return new CheckpointVerifier(keys, spki, quorum);
  }

  private static NoteVerifier parseKey(String option, String key) {
    try {
      return VerifierKeys.parse(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage()); // the message is all
    }
  }

  /**
   * Outside tests the DirectRunner's immutability and encodability checks only cost time (several
   * times the run), and a migration is I/O bound: more threads than cores. Explicit flags win.
   */
  static void tuneDirectRunner(MigrateOptions options, String[] args) {
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
      direct.setTargetParallelism(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    }
  }

  private static boolean given(String[] args, String option) {
    return Arrays.stream(args)
        .anyMatch(a -> a.startsWith("--" + option + "=") || a.equals("--" + option));
  }
}
