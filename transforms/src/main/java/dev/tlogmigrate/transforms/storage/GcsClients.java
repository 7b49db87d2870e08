package dev.tlogmigrate.transforms.storage;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Makes the {@link Storage} client of each opened {@code gs://} location: one client per
 * {@link LogLocation#open()} (the DoFns open storage in {@code @Setup}, so one per DoFn instance),
 * with Application Default Credentials and the client's own retry policy.
 *
 * <p>Tests hand in a stand-in per bucket ({@link #overrideForBucket}); the registry is static, so it
 * reaches the DoFns that a DirectRunner runs in the same JVM. On Dataflow nothing is registered and
 * every worker makes real clients.
 */
public final class GcsClients {
  private static final Map<String, Supplier<Storage>> OVERRIDES = new ConcurrentHashMap<>();

  private GcsClients() {}

  /** Undoes an override. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Until the returned registration is closed, storage opened on {@code gs://bucket/...} in this JVM
   * gets its client from {@code factory} instead of Google's default. For tests.
   */
  public static Registration overrideForBucket(String bucket, Supplier<Storage> factory) {
    Objects.requireNonNull(factory, "factory");
    if (OVERRIDES.putIfAbsent(bucket, factory) != null) {
      throw new IllegalStateException("a client override for bucket " + bucket + " is already registered");
    }
    return () -> OVERRIDES.remove(bucket, factory);
  }

  /** A new client for a bucket: the override if a test registered one, else Google's default. */
  static Storage forBucket(String bucket) {
    Supplier<Storage> override = OVERRIDES.get(bucket);
    if (override != null) {
      return override.get();
    }
    return StorageOptions.getDefaultInstance().getService();
  }
}
