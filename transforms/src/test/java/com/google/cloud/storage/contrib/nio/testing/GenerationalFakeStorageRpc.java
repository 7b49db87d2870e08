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
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * LocalStorageHelper's in-memory fake {@code Storage} (google-cloud-nio's FakeStorageRpc), plus what
 * that fake lacks and GcsStorage relies on: object generations, and the preconditions
 * ifGenerationMatch (0 = doesNotExist) and ifGenerationNotMatch, answered with HTTP 412 as GCS
 * does, on create, get, load and delete. The fake itself ignores preconditions on create (or throws
 * UnsupportedOperationException for any option, as LocalStorageHelper.getOptions() sets it up) and
 * never assigns generations on create. Also thread-safe, which the fake is not: a DirectRunner calls
 * it from many threads. Objects are stored raw: a load returns the stored bytes, as a GCS download
 * with shouldReturnRawInputStream does.
 *
 * <p>The launcher module's tests use it too, through this module's test jar.
 */
public final class GenerationalFakeStorageRpc extends FakeStorageRpc {
  private final AtomicLong generations = new AtomicLong(1_000);
  private volatile Consumer<String> beforeNextCreate;
  private volatile String hookedName;
  private volatile Runnable beforeCreateOfName;

  public GenerationalFakeStorageRpc() {
    super(false);
  }

  /** A client on a new, empty fake. */
  public static Storage newStorage() {
    return new GenerationalFakeStorageRpc().storage();
  }

  /** A client on this fake; every call makes a new client object, all sharing this fake's objects. */
  public Storage storage() {
    return StorageOptions.newBuilder()
        .setProjectId("fake-project-for-testing")
        .setServiceRpcFactory(new LocalStorageHelper.FakeStorageRpcFactory(this))
        .build()
        .getService();
  }

  /** Runs once, just before the next create is checked: how a test lets another writer in. */
  public void beforeNextCreate(Consumer<String> hook) {
    beforeNextCreate = hook;
  }

  /** Runs once, just before the next create of an object whose name ends with nameSuffix. */
  public void beforeNextCreateOf(String nameSuffix, Runnable hook) {
    hookedName = nameSuffix;
    beforeCreateOfName = hook;
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
      throw new StorageException(412, "conditionNotMet: At least one of the pre-conditions you specified did not hold.");
    }
  }

  @Override
  public StorageObject create(StorageObject object, InputStream content, Map<Option, ?> options) {
    Consumer<String> hook = beforeNextCreate;
    if (hook != null) {
      beforeNextCreate = null;
      hook.accept(object.getName());
    }
    Runnable named = beforeCreateOfName;
    if (named != null && object.getName().endsWith(hookedName)) {
      synchronized (this) {
        named = beforeCreateOfName;
        beforeCreateOfName = null;
      }
      if (named != null) {
        named.run();
      }
    }
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
  public synchronized byte[] load(StorageObject object, Map<Option, ?> options) {
    String key = key(object);
    if (!contents.containsKey(key)) {
      throw new StorageException(404, "No such object: " + object.getBucket() + "/" + object.getName());
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

  /** Every object under prefix in bucket, by name relative to the prefix, with its bytes. */
  public synchronized Map<String, byte[]> objects(String bucket, String prefix) {
    Map<String, byte[]> out = new TreeMap<>();
    for (StorageObject o : metadata.values()) {
      if (o.getBucket().equals(bucket) && o.getName().startsWith(prefix)) {
        out.put(o.getName().substring(prefix.length()), contents.get(key(o)).clone());
      }
    }
    return out;
  }

  /** The stored metadata of an object, or null. */
  public synchronized StorageObject metadata(String bucket, String name) {
    StorageObject o = metadata.get(key(bucket, name));
    return o == null ? null : o.clone();
  }
}
