package dev.tlogmigrate.transforms.testing;

import dev.tlogmigrate.transforms.storage.s3.S3Connection;
import dev.tlogmigrate.transforms.storage.s3.S3Storage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * s3proxy ({@code org.gaul:s3proxy} 4.0.0, a Java S3 server), serving the S3 REST API over HTTP on
 * a free loopback port for one test class, objects in memory (its {@code transient-nio2} backend).
 * It runs as a process of its own from its self-contained jar, which the build copies to {@code
 * target/s3proxy/s3proxy.jar}: in the test JVM its dependencies (Jackson 3, which needs newer
 * Jackson annotations than Beam's) clash with Beam's. Requests must carry AWS signatures (V2 or V4)
 * by {@link #ACCESS_KEY} and {@link #SECRET_KEY}, which it also sets as the system properties
 * {@code aws.accessKeyId} and {@code aws.secretAccessKey}: the code under test finds them in the
 * SDK's default credential chain, as a worker would find its own. Each test starts with the named
 * buckets empty. Another program (a Go peer) reaches it at {@link #endpoint} with those keys,
 * region {@link #REGION} and path-style addressing.
 *
 * <p>{@link #withoutAuthorization} serves unsigned requests too: for a proxy in front, which sends
 * requests on with its own Host header and so breaks their signatures.
 *
 * <p>Conditional PutObject in s3proxy 4.0.0 (read from its request handler; measured with curl
 * against this jar): {@code If-None-Match: *} is atomic in this backend (a hard link that fails if
 * the key exists: of 20 concurrent creates of one key, one got 200 and 19 got 412). {@code
 * If-Match} is compared with the current ETag just before the write, not atomically with it as S3
 * does: two concurrent PUTs with the same If-Match both got 200, five rounds out of five.
 * Sequentially both answer 412 as S3 does, and If-Match on a missing key 404 NoSuchKey, also as S3
 * does. So a test of a precondition lets the other writer finish before the request under test
 * (GcsFaultProxy's beforeFirst), never races them.
 *
 * <p>Use as {@code @RegisterExtension static final S3Server S3 = new S3Server("bucket", ...);}
 */
public final class S3Server
    implements BucketServer, BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  public static final String ACCESS_KEY = "tlog-migrate-test-key";
  public static final String SECRET_KEY = "tlog-migrate-test-secret";
  public static final String REGION = "us-east-1";

  private static final String JAR = "target/s3proxy/s3proxy.jar";

  private final List<String> buckets;
  private final boolean signed;
  private Process process;
  private Thread stopAtExit;
  private Path log;
  private String endpoint;
  private S3Client client;

  public S3Server(String... buckets) {
    this(true, buckets);
  }

  private S3Server(boolean signed, String... buckets) {
    this.signed = signed;
    this.buckets = List.of(buckets);
  }

  /** A server that also serves requests whose signature does not match (or that have none). */
  public static S3Server withoutAuthorization(String... buckets) {
    return new S3Server(false, buckets);
  }

  /** The jar, from this module's target or the transforms module's (the launcher's tests). */
  private static Path jar() {
    Path here = Path.of(JAR);
    Path jar = Files.isRegularFile(here) ? here : Path.of("..", "transforms", JAR);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no " + JAR + ": the build copies it (maven-dependency-plugin, generate-test-resources)");
    }
    return jar;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    int port = TestProcesses.freeLoopbackPort();
    endpoint = "http://127.0.0.1:" + port;
    log = Files.createTempFile("s3proxy", ".log");
    Path properties = Files.createTempFile("s3proxy", ".properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=" + endpoint,
            "s3proxy.authorization=" + (signed ? "aws-v2-or-v4" : "none"),
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=transient-nio2",
            "jclouds.identity=unused",
            "jclouds.credential=unused",
            ""));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    process =
        new ProcessBuilder(
                java.toString(),
                "-DLOG_LEVEL=warn",
                "-Xmx256m",
                "-jar",
                jar().toString(),
                "--properties",
                properties.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Process started = process;
    stopAtExit = new Thread(started::destroyForcibly, "stop-s3proxy");
    Runtime.getRuntime().addShutdownHook(stopAtExit);
    try {
      awaitReady();
    } finally {
      Files.delete(properties);
    }
    client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.of(REGION))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
    for (String b : buckets) {
      client.createBucket(r -> r.bucket(b));
    }
  }

  /** Until it answers HTTP (an unsigned request to list buckets: 200 or 403). */
  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "s3proxy exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint + "/")).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new IllegalStateException("s3proxy did not answer in 60 s: " + Files.readString(log));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    for (String b : buckets) {
      for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(b)).contents()) {
        client.deleteObject(r -> r.bucket(b).key(o.key()));
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (client != null) {
      client.close();
    }
    if (process != null) {
      TestProcesses.stop(process, log, stopAtExit);
    }
  }

  @Override
  public String scheme() {
    return S3Storage.SCHEME;
  }

  /** {@code http://127.0.0.1:PORT}: for {@code --s3Endpoint}, an SDK client, or a proxy. */
  @Override
  public String endpoint() {
    return endpoint;
  }

  /** How the code under test reaches this server (credentials from the system properties). */
  public S3Connection connection() {
    return connection(endpoint);
  }

  /** How the code under test reaches S3 at {@code endpoint}: this server or a proxy in front. */
  public static S3Connection connection(String endpoint) {
    return new S3Connection(endpoint, REGION, true);
  }

  /** The command line's flags that point a migration at this server. */
  public List<String> flags() {
    return flags(endpoint);
  }

  /** The flags for a migration that reaches S3 at {@code endpoint}. */
  @Override
  public List<String> flags(String endpoint) {
    return List.of("--s3Endpoint=" + endpoint, "--s3Region=" + REGION);
  }

  /** A client of the server (path-style, the test credentials), to set up and look at objects. */
  public S3Client client() {
    return client;
  }

  /** Stores an object as given. */
  @Override
  public void put(String bucket, String key, byte[] data) {
    put(PutObjectRequest.builder().bucket(bucket).key(key).build(), data);
  }

  @Override
  public void putGzipEncoded(String bucket, String key, byte[] gzip) {
    put(PutObjectRequest.builder().bucket(bucket).key(key).contentEncoding("gzip").build(), gzip);
  }

  public void put(PutObjectRequest request, byte[] data) {
    client.putObject(request, RequestBody.fromBytes(data));
  }

  @Override
  public Map<String, byte[]> objects(String bucket, String prefix) {
    Map<String, byte[]> out = new TreeMap<>();
    for (S3Object o :
        client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
      out.put(o.key().substring(prefix.length()), stored(bucket, o.key()));
    }
    return out;
  }

  /** An object's stored bytes (as stored: S3 does not decode), or null. */
  @Override
  public byte[] stored(String bucket, String key) {
    try {
      return client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  @Override
  public Metadata objectMetadata(String bucket, String key) {
    HeadObjectResponse head = metadata(bucket, key);
    return head == null
        ? null
        : new Metadata(
            head.contentType(), head.cacheControl(), head.contentEncoding(), head.eTag());
  }

  @Override
  public void delete(String bucket, String key) {
    client.deleteObject(r -> r.bucket(bucket).key(key));
  }

  @Override
  public boolean writes(GcsFaultProxy.Request request, String bucket, String key) {
    return request.puts(bucket, key);
  }

  /** An object's metadata, or null. */
  public HeadObjectResponse metadata(String bucket, String key) {
    try {
      return client.headObject(r -> r.bucket(bucket).key(key));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw e;
    }
  }
}
