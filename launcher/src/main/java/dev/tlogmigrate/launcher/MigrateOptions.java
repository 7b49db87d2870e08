package dev.tlogmigrate.launcher;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.location.LogLocation;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** The options of a migration, next to Beam's own (--runner, --targetParallelism, ...). */
public interface MigrateOptions extends PipelineOptions {
  @Description(
      "The log to copy: a local directory, a file: URL, an http(s):// URL prefix, gs://bucket/prefix or "
          + "s3://bucket/prefix.")
  @Validation.Required
  String getSource();

  void setSource(String value);

  @Description(
      "Where the verified copy goes: a local directory (Tessera's POSIX layout), gs://bucket/prefix "
          + "(Tessera's GCS layout) or s3://bucket/prefix (Tessera's AWS layout).")
  @Validation.Required
  String getDestination();

  void setDestination(String value);

  @Description(
      "The source log's signed-note verifier key, <name>+<key ID hex>+<base64 key>: Ed25519 "
          + "(type 0x01) or, for a static-ct log, RFC 6962 (type 0x05, base64 of 0x05 || DER public key). "
          + "The checkpoint must carry a valid signature by it. Give this or --sourcePublicKey.")
  String getSourceVerifierKey();

  void setSourceVerifierKey(String value);

  @Description(
      "How the log stores its entries: tlog-tiles (tile/entries/...) or static-ct "
          + "(static-ct-api: tile/data/... and issuer/...).")
  @Default.String("tlog-tiles")
  String getFormat();

  void setFormat(String value);

  @Description(
      "A static-ct log's public key, base64 DER SubjectPublicKeyInfo (ECDSA P-256), as CT log "
          + "lists publish it; the key name is the checkpoint's origin. Instead of --sourceVerifierKey.")
  String getSourcePublicKey();

  void setSourcePublicKey(String value);

  @Description(
      "A witness's cosignature/v1 verifier key (type 0x04, or any note key); repeat the flag "
          + "for several witnesses. Used with --witnessQuorum.")
  List<String> getWitnessKey();

  void setWitnessKey(List<String> value);

  @Description(
      "How many of the --witnessKey witnesses must have cosigned the source checkpoint; "
          + "0 (the default) checks no cosignatures.")
  @Default.Integer(0)
  int getWitnessQuorum();

  void setWitnessQuorum(int value);

  @Description(
      "Tessera on Google Cloud: the Spanner database of the Tessera GCP storage that takes the gs:// "
          + "destination over, projects/PROJECT/instances/INSTANCE/databases/DATABASE. Once the root has verified, the "
          + "run creates Tessera's tables if missing and, in one transaction, checks IntCoord and sets it to the "
          + "verified size and root, and SeqCoord.next to the size. Incremental runs start from IntCoord.")
  String getTesseraSpannerDatabase();

  void setTesseraSpannerDatabase(String value);

  @Description(
      "Prefix of Tessera's Spanner table names, ^([A-Za-z][A-Za-z0-9_]{0,63})?$; none by default, "
          + "as Tessera v1.0.4's fixed names need. Used with --tesseraSpannerDatabase.")
  String getTesseraSpannerTablePrefix();

  void setTesseraSpannerTablePrefix(String value);

  @Description(
      "Tessera on AWS: the MySQL-compatible database (Aurora MySQL, MySQL, MariaDB) of the Tessera AWS "
          + "storage that takes the s3:// destination over, jdbc:mariadb://HOST[:PORT]/DATABASE or "
          + "jdbc:mysql://HOST[:PORT]/DATABASE. Once the root has verified, the run creates Tessera's tables if "
          + "missing and, in one transaction, checks IntCoord under FOR UPDATE and sets it to the verified size and "
          + "root, and SeqCoord.next to the size. Incremental runs start from IntCoord.")
  @JsonIgnore // its options may hold the password: kept out of the options a job shows
  String getTesseraMySqlUrl();

  void setTesseraMySqlUrl(String value);

  @Description("The user --tesseraMySqlUrl connects as (unless its options give one).")
  String getTesseraMySqlUser();

  void setTesseraMySqlUser(String value);

  @Description(
      "The password of --tesseraMySqlUser. Never printed, and left out of the options a Dataflow job "
          + "shows; only the final stage, which commits, carries it. A command line is visible to the "
          + "machine's other users: prefer --tesseraMySqlPasswordFile or --tesseraMySqlPasswordEnv.")
  @JsonIgnore
  String getTesseraMySqlPassword();

  void setTesseraMySqlPassword(String value);

  @Description(
      "A file holding the password of --tesseraMySqlUser (a trailing newline is dropped), instead of "
          + "--tesseraMySqlPassword: read by the launcher and by the process that commits, so that the "
          + "password is on no command line and in no stage of the job. On a runner whose workers are "
          + "other machines, the launcher reads it and only the final stage carries the password.")
  String getTesseraMySqlPasswordFile();

  void setTesseraMySqlPasswordFile(String value);

  @Description(
      "The name of an environment variable holding the password of --tesseraMySqlUser, instead of "
          + "--tesseraMySqlPassword: read where --tesseraMySqlPasswordFile is.")
  String getTesseraMySqlPasswordEnv();

  void setTesseraMySqlPasswordEnv(String value);

  @Description(
      "Tessera's persistent antispam index, filled with the log's entries so that the frontend that takes the "
          + "log over answers a resubmitted entry with its index from the first request (TesseraCT on Google "
          + "Cloud and AWS keeps one; so does Tessera with antispam). With --tesseraSpannerDatabase, a Spanner "
          + "database of its own, projects/PROJECT/instances/INSTANCE/databases/DATABASE (TesseraCT's "
          + "--spanner_antispam_db_path); with --tesseraMySqlUrl, a database on the same server, reached with the "
          + "same user and password (TesseraCT's --antispam_db_name). The run creates Tessera's antispam tables if "
          + "missing, writes one row per entry identity (the first index wins) from the workers before the commit, "
          + "and moves the follower's nextIdx to the committed size after it; incremental runs write only the rows "
          + "from where nextIdx stands.")
  String getAntispamDatabase();

  void setAntispamDatabase(String value);

  @Description(
      "Let the Spanner client export its own metrics (built-in and gRPC metrics) to Cloud Monitoring, as "
          + "the client library does by default. Off by default: the client then sends nothing but its requests "
          + "(no GCP metadata server lookup, no connection to monitoring.googleapis.com). Never with an emulator.")
  @Default.Boolean(false)
  boolean getSpannerClientTelemetry();

  void setSpannerClientTelemetry(boolean value);

  @Description(
      "Entry tiles fetched at once per worker process (each with its hashing and writes): what keeps a "
          + "distant source busy. Also the size of the HTTP connection pool. Default: 64 for a source "
          + "read over the network (HTTP, GCS, S3), twice the cores (at least 4) for a local directory.")
  @Default.InstanceFactory(ConcurrentFetchesBySource.class)
  int getMaxConcurrentFetches();

  void setMaxConcurrentFetches(int value);

  @Description(
      "Requests per second to an HTTP source at most, retries included; 0 (the default) for no cap. "
          + "The cap holds per worker process: on Dataflow the source sees up to this times the number of workers.")
  @Default.Double(0)
  double getMaxRequestsPerSecond();

  void setMaxRequestsPerSecond(double value);

  @Description(
      "Sent to an HTTP source as 'Authorization: Bearer TOKEN'. Never printed, and left out of the "
          + "options a Dataflow job shows; only the stages that fetch from the source carry it. A command "
          + "line is visible to the machine's other users: prefer --sourceBearerTokenFile or "
          + "--sourceBearerTokenEnv.")
  @JsonIgnore
  String getSourceBearerToken();

  void setSourceBearerToken(String value);

  @Description(
      "A file holding the bearer token for an HTTP source (a trailing newline is dropped), instead of "
          + "--sourceBearerToken: read by each process that fetches, so that the token is on no command "
          + "line and in no stage of the job. On a runner whose workers are other machines, the launcher "
          + "reads it and only the stages that fetch carry the token.")
  String getSourceBearerTokenFile();

  void setSourceBearerTokenFile(String value);

  @Description(
      "The name of an environment variable holding the bearer token for an HTTP source, instead of "
          + "--sourceBearerToken: read where --sourceBearerTokenFile is.")
  String getSourceBearerTokenEnv();

  void setSourceBearerTokenEnv(String value);

  @Description(
      "For an HTTPS source behind a private CA: a PEM file of the CA certificates to trust, in addition "
          + "to the JDK's default trust (never instead of it), or the PEM text itself. Its contents travel with the job: "
          + "Dataflow workers need no copy. There is no option to turn certificate verification off.")
  String getSourceTrustedCertificates();

  void setSourceTrustedCertificates(String value);

  @Description(
      "How a log operator can reach whoever runs this copy (a URL or mailto:), added to the User-Agent "
          + "sent to an HTTP source; CT log operators ask crawlers for one.")
  @Default.String("")
  String getUserAgentContact();

  void setUserAgentContact(String value);

  @Description(
      "Also read the source's own hash tiles (full, and the right-edge partials) and compare them byte for "
          + "byte with the ones rebuilt from the entries: clients build proofs from them. The copy is committed all the "
          + "same (it is rebuilt from verified entries); the run then lists what differs and exits 1. One more request "
          + "per bundle.")
  @Default.Boolean(false)
  boolean getCompareSourceTiles();

  void setCompareSourceTiles(boolean value);

  @Description(
      "host:port of a Cloud Spanner emulator to use for --tesseraSpannerDatabase instead of Google's "
          + "Spanner; default: the SPANNER_EMULATOR_HOST environment variable, if set.")
  String getSpannerEmulatorHost();

  void setSpannerEmulatorHost(String value);

  @Description(
      "For s3:// locations: the endpoint of an S3-compatible store, http(s)://host[:port], instead of "
          + "Amazon's. Buckets are then addressed by path (endpoint/bucket/key) unless --s3PathStyleAccess=false.")
  String getS3Endpoint();

  void setS3Endpoint(String value);

  @Description(
      "For s3:// locations: the region to sign requests for. Default: AWS_REGION (or the aws.region "
          + "system property), else the AWS profile's, else us-east-1; against Amazon's endpoint without a "
          + "configured region, a bucket in another region is still reached (cross-region access).")
  String getS3Region();

  void setS3Region(String value);

  @Description(
      "For s3:// locations: address buckets by path (endpoint/bucket/key) rather than by host name "
          + "(bucket.endpoint/key). Default: by path exactly when --s3Endpoint is given.")
  Boolean getS3PathStyleAccess();

  void setS3PathStyleAccess(Boolean value);

  @Description(
      "For a bucket destination that a failed run (from another fork, or fed by a hostile source) "
          + "left objects in above the committed size: replace those that differ from what this run "
          + "verified, instead of failing. Give it only when no other job writes the destination: a "
          + "concurrent job's objects are not told apart from a failed run's. Each object is replaced "
          + "conditionally on the version compared, and only while the destination's tree state is "
          + "still at most this run's starting size. Not with a Tessera take-over, whose database "
          + "commits first.")
  @Default.Boolean(false)
  boolean getReplaceUncommitted();

  void setReplaceUncommitted(boolean value);

  @Description("Seconds between progress lines on standard error; 0 turns them off.")
  @Default.Integer(5)
  int getProgressIntervalSeconds();

  void setProgressIntervalSeconds(int value);

  /** The default of --maxConcurrentFetches: what the --source wants in flight. */
  class ConcurrentFetchesBySource implements DefaultValueFactory<Integer> {
    @Override
    public Integer create(PipelineOptions options) {
      String source = options.as(MigrateOptions.class).getSource();
      return source == null || source.isBlank()
          ? MigrationSpec.DEFAULT_MAX_CONCURRENT_FETCHES
          : MigrationSpec.defaultMaxConcurrentFetches(LogLocation.of(source));
    }
  }
}
