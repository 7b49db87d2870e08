package dev.tlogmigrate.transforms.testing;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.StorageOptions;
import dev.tlogmigrate.transforms.storage.gcs.GcpAuth;
import dev.tlogmigrate.transforms.storage.gcs.GcsConnection;
import dev.tlogmigrate.transforms.storage.gcs.GcsStorage;
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
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * fake-gcs-server (github.com/fsouza/fake-gcs-server v1.55.1, built from our pinned Go module in
 * {@code transforms/src/test/go/fake-gcs-server}), serving the GCS JSON API over HTTP on a free
 * loopback port for one test class, objects in memory. Each test starts with the named buckets
 * empty. What it does not do (preconditions on reads, deletes, patch and compose) is tested against
 * GenerationalFakeStorageRpc instead.
 *
 * <p>Use as {@code @RegisterExtension static final FakeGcsServer GCS = new FakeGcsServer("bucket",
 * ...);}
 */
public final class FakeGcsServer
    implements BucketServer, BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  /** The credentials the tests' clients use: none (the server does not check them). */
  public static final GcpAuth NO_AUTH = new GcpAuth(NoopCredentialFactory.class.getName(), null);

  private static final String MODULE = "src/test/go/fake-gcs-server";

  private final List<String> buckets;
  private Process process;
  private Thread stopAtExit;
  private Path log;
  private String endpoint;
  private Storage client;

  public FakeGcsServer(String... buckets) {
    this.buckets = List.of(buckets);
  }

  /** The Go module, from the transforms module or from a sibling module (the launcher's tests). */
  private static Path module() {
    Path here = Path.of(MODULE);
    return Files.isDirectory(here) ? here : Path.of("..", "transforms", MODULE);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path binary =
        GoPrograms.build(module(), "github.com/fsouza/fake-gcs-server", "fake-gcs-server");
    int port = TestProcesses.freeLoopbackPort();
    endpoint = "http://127.0.0.1:" + port;
    log = Files.createTempFile("fake-gcs-server", ".log");
    process =
        new ProcessBuilder(
                binary.toString(),
                "-scheme",
                "http",
                "-backend",
                "memory",
                "-host",
                "127.0.0.1",
                "-port",
                String.valueOf(port),
                "-external-url",
                endpoint,
                "-log-level",
                "warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Process started = process;
    stopAtExit = new Thread(started::destroyForcibly, "stop-fake-gcs-server");
    Runtime.getRuntime().addShutdownHook(stopAtExit);
    awaitReady();
    client =
        StorageOptions.newBuilder()
            .setHost(endpoint)
            .setProjectId("test-project")
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    for (String b : buckets) {
      client.create(BucketInfo.of(b));
    }
  }

  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "fake-gcs-server exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(endpoint + "/storage/v1/b")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "fake-gcs-server did not answer in 30 s: " + Files.readString(log));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    for (String b : buckets) {
      for (Blob blob : client.list(b).iterateAll()) {
        client.delete(blob.getBlobId());
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process != null) {
      TestProcesses.stop(process, log, stopAtExit);
    }
  }

  @Override
  public String scheme() {
    return GcsStorage.SCHEME;
  }

  /** {@code http://127.0.0.1:PORT}: the JSON API's base, for a client's setHost or a proxy. */
  @Override
  public String endpoint() {
    return endpoint;
  }

  /** How the code under test reaches this server. */
  public GcsConnection connection() {
    return new GcsConnection(endpoint, NO_AUTH);
  }

  /** The command line's flags that point a migration at this server. */
  public List<String> flags() {
    return flags(endpoint);
  }

  /**
   * The flags for a migration that reaches GCS at {@code endpoint} (this server, or a proxy in
   * front of it).
   */
  @Override
  public List<String> flags(String endpoint) {
    return List.of(
        "--gcsEndpoint=" + endpoint,
        "--credentialFactoryClass=" + NoopCredentialFactory.class.getName());
  }

  /** A client of the server, for setting objects up and looking at them. */
  public Storage client() {
    return client;
  }

  /** Stores an object as given: no gzip added by the client. */
  @Override
  public void put(String bucket, String name, byte[] data) {
    put(BlobInfo.newBuilder(BlobId.of(bucket, name)).build(), data);
  }

  @Override
  public void putGzipEncoded(String bucket, String name, byte[] gzip) {
    put(BlobInfo.newBuilder(BlobId.of(bucket, name)).setContentEncoding("gzip").build(), gzip);
  }

  public void put(BlobInfo info, byte[] data) {
    client.create(info, data, BlobTargetOption.disableGzipContent());
  }

  @Override
  public Map<String, byte[]> objects(String bucket, String prefix) {
    Map<String, byte[]> out = new TreeMap<>();
    for (Blob blob : client.list(bucket, BlobListOption.prefix(prefix)).iterateAll()) {
      out.put(blob.getName().substring(prefix.length()), stored(blob.getBlobId()));
    }
    return out;
  }

  @Override
  public byte[] stored(String bucket, String name) {
    return client.get(BlobId.of(bucket, name)) == null ? null : stored(BlobId.of(bucket, name));
  }

  private byte[] stored(BlobId id) {
    return client.readAllBytes(id, BlobSourceOption.shouldReturnRawInputStream(true));
  }

  /** An object's metadata, or null. */
  public Blob metadata(String bucket, String name) {
    return client.get(BlobId.of(bucket, name));
  }

  @Override
  public Metadata objectMetadata(String bucket, String name) {
    Blob blob = metadata(bucket, name);
    return blob == null
        ? null
        : new Metadata(
            blob.getContentType(),
            blob.getCacheControl(),
            blob.getContentEncoding(),
            blob.getGeneration());
  }

  @Override
  public void delete(String bucket, String name) {
    client.delete(BlobId.of(bucket, name));
  }

  /** An upload: the object's name is in the metadata part, the bucket in the URL. */
  @Override
  public boolean writes(GcsFaultProxy.Request request, String bucket, String name) {
    return request.uploads(name) && request.uri().contains("/b/" + bucket + "/o");
  }
}
