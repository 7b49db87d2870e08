package com.google.cloud.storage.contrib.nio.testing;

import com.google.api.client.util.DateTime;
import com.google.api.services.storage.model.StorageObject;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import com.google.common.io.ByteStreams;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * LocalStorageHelper's in-memory fake {@code Storage} (google-cloud-nio's FakeStorageRpc), plus
 * what that fake lacks and GcsStorage relies on: object generations, and the preconditions
 * ifGenerationMatch (0 = doesNotExist) and ifGenerationNotMatch, answered with HTTP 412 as GCS
 * does, on create, get, load and delete. The fake itself ignores preconditions on create (or throws
 * UnsupportedOperationException for any option, as LocalStorageHelper.getOptions() sets it up) and
 * never assigns generations on create. Also thread-safe, which the fake is not: a DirectRunner
 * calls it from many threads. Objects are stored raw: a load returns the stored bytes, as a GCS
 * download with shouldReturnRawInputStream does.
 *
 * <p>The GCS tests run against fake-gcs-server; this stays for what that server does not do:
 * preconditions on reads (GcsReadPreconditionTest).
 */
public final class GenerationalFakeStorageRpc extends FakeStorageRpc {
  private final AtomicLong generations = new AtomicLong(1_000);
  private volatile Runnable beforeNextLoad;

  public GenerationalFakeStorageRpc() {
    super(false);
  }

  /**
   * A client on this fake; every call makes a new client object, all sharing this fake's objects.
   */
  public Storage storage() {
    return StorageOptions.newBuilder()
        .setProjectId("fake-project-for-testing")
        .setServiceRpcFactory(new LocalStorageHelper.FakeStorageRpcFactory(this))
        .build()
        .getService();
  }

  /**
   * Runs once, just before the next load (a download) is answered: a writer between a get and its
   * read.
   */
  public void beforeNextLoad(Runnable hook) {
    beforeNextLoad = hook;
  }

  private static String key(String bucket, String name) {
    return String.format("http://localhost:65555/b/%s/o/%s", bucket, name);
  }

  private static String key(StorageObject o) {
    return key(o.getBucket(), o.getName());
  }

  private void check(String key, Map<Option, ?> options) {
    StorageObject current = metadata.get(key);
    Long match = (Long) options.get(Option.IF_GENERATION_MATCH);
    Long notMatch = (Long) options.get(Option.IF_GENERATION_NOT_MATCH);
    boolean ok = true;
    if (match != null) {
      ok = match == 0 ? current == null : current != null && match.equals(current.getGeneration());
    }
    if (notMatch != null && current != null && notMatch.equals(current.getGeneration())) {
      ok = false;
    }
    if (!ok) {
      throw new StorageException(
          412, "conditionNotMet: At least one of the pre-conditions you specified did not hold.");
    }
  }

  @Override
  public StorageObject create(StorageObject object, InputStream content, Map<Option, ?> options) {
    byte[] bytes;
    try {
      bytes = ByteStreams.toByteArray(content);
    } catch (IOException e) {
      throw new StorageException(e);
    }
    synchronized (this) {
      String key = key(object);
      check(key, options);
      StorageObject stored = object.clone();
      stored.setGeneration(generations.incrementAndGet());
      stored.setMetageneration(1L);
      stored.setSize(BigInteger.valueOf(bytes.length));
      stored.setUpdated(new DateTime(System.currentTimeMillis()));
      metadata.put(key, stored);
      contents.put(key, bytes);
      return stored.clone();
    }
  }

  @Override
  public synchronized StorageObject get(StorageObject object, Map<Option, ?> options) {
    String key = key(object);
    StorageObject current = metadata.get(key);
    if (current == null) {
      return null;
    }
    check(key, options);
    return current.clone();
  }

  @Override
  public byte[] load(StorageObject object, Map<Option, ?> options) {
    Runnable hook = beforeNextLoad;
    if (hook != null) {
      beforeNextLoad = null;
      hook.run();
    }
    return loadNow(object, options);
  }

  private synchronized byte[] loadNow(StorageObject object, Map<Option, ?> options) {
    String key = key(object);
    if (!contents.containsKey(key)) {
      throw new StorageException(
          404, "No such object: " + object.getBucket() + "/" + object.getName());
    }
    check(key, options);
    return contents.get(key).clone();
  }

  @Override
  public synchronized boolean delete(StorageObject object, Map<Option, ?> options) {
    String key = key(object);
    if (!metadata.containsKey(key)) {
      return false;
    }
    check(key, options);
    contents.remove(key);
    metadata.remove(key);
    return true;
  }
}
