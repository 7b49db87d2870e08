package dev.tlogmigrate.transforms.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LogStorage} keeps when it is read, whatever holds the log (a directory, GCS,
 * S3, an HTTP server): an absent resource is empty, an empty one is not absent, a resource is read
 * whole within the limit, and one over the limit is an {@link InvalidLogException} that names it. A
 * store's test extends this, or {@link LogStorageContract} where the store is also written to.
 */
public abstract class LogStorageReadContract {
  /** The store under test, opened for each test on an empty log. */
  protected LogStorage storage;

  /** Opens the store under test, on an empty log. */
  protected abstract LogStorage open() throws IOException;

  /** Puts a resource behind the store's back, as the source (or another writer) would. */
  protected abstract void putBehindItsBack(String path, byte[] data) throws IOException;

  /** How the store's refusal of a resource over the limit states its size. */
  protected String sizeSaid(int bytes) {
    return bytes + " bytes";
  }

  @BeforeEach
  void openStorage() throws IOException {
    storage = open();
  }

  @AfterEach
  void closeStorage() throws IOException {
    storage.close();
  }

  /** Writes a file at a log path under root, making its directories. */
  protected static void writeFile(Path root, String path, byte[] data) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, data);
  }

  /** Bytes that no two positions share by accident. */
  protected static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  @Test
  void readsAreLimitedAndAbsentResourcesAreEmpty() throws IOException {
    byte[] bundle = bytes(1000);
    putBehindItsBack("tile/entries/005", bundle);

    assertEquals(Optional.empty(), storage.read("tile/entries/006", 1000));
    assertArrayEquals(bundle, storage.read("tile/entries/005", 1000).orElseThrow());
    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> storage.read("tile/entries/005", 999));
    assertTrue(
        e.getMessage().contains(storage.describe("tile/entries/005") + ": " + sizeSaid(1000)),
        e.getMessage());
  }

  @Test
  void anEmptyResourceIsThereNotAbsent() throws IOException {
    putBehindItsBack("tile/entries/001", new byte[0]);

    assertArrayEquals(new byte[0], storage.read("tile/entries/001", 10).orElseThrow());
  }
}
