package dev.tlogmigrate.transforms.storage;

import dev.tlogmigrate.transforms.format.Checkpoint;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.SignedNote;
import dev.tlogmigrate.transforms.format.TreeState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** Where a log's resources live: a directory or a URL prefix. Paths are tlog-tiles paths. */
public interface LogStorage extends AutoCloseable {
  /** How much of a resource {@link #replace} reads to compare: state resources are small. */
  int REPLACE_READ_LIMIT = 1 << 16;

  /**
   * Reads a resource; empty when it does not exist. A resource larger than {@code maxBytes} is an
   * {@link dev.tlogmigrate.transforms.format.InvalidLogException}: no valid resource is that large.
   */
  Optional<byte[]> read(String path, int maxBytes) throws IOException;

  /**
   * Replaces a resource atomically: a reader sees the old content or the new, never a mix. It is
   * durable once {@link #flush} returns.
   */
  void write(String path, byte[] data) throws IOException;

  /**
   * Writes an immutable object over one that holds other bytes, which {@link #write} refuses with
   * {@link ObjectDiffersException} where objects are create-only (a bucket). Only for a caller that
   * knows no committed tree state refers to the object: one above the committed size, left by a
   * failed run, while no other job writes the destination. A store whose writes replace (a
   * directory, under its lock) just writes.
   */
  default void replaceUncommitted(String path, byte[] data) throws IOException {
    write(path, data);
  }

  /** Makes every write so far durable. The tree state may only point at resources flushed. */
  default void flush() throws IOException {}

  /**
   * Writes a resource only if it still holds {@code expectedCurrent} ({@code null}: only if it does
   * not exist), else throws {@link PreconditionFailedException} and writes nothing. Storage with a
   * compare-and-swap (GCS: generation preconditions) makes the check and the write one atomic step,
   * so two writers that read the same value can never both replace it. This default reads, compares
   * and writes: atomic only against writers in the same process, which is what a directory offers
   * (a second run on a directory is kept out by its lock file instead). Durable as {@link #write}.
   */
  default void replace(String path, byte[] expectedCurrent, byte[] data) throws IOException {
    synchronized (this) {
      Optional<byte[]> current =
          read(
              path,
              Math.max(REPLACE_READ_LIMIT, expectedCurrent == null ? 0 : expectedCurrent.length));
      if (expectedCurrent == null
          ? current.isPresent()
          : current.isEmpty() || !Arrays.equals(current.get(), expectedCurrent)) {
        throw new PreconditionFailedException(
            describe(path)
                + ": "
                + PreconditionFailedException.describeMismatch(
                    expectedCurrent, current.orElse(null)));
      }
      write(path, data);
    }
  }

  /**
   * Moves a tree state resource from {@code from} to {@code to} with {@link #replace}: refuses,
   * writing nothing, unless the resource still holds {@code from}, the state the run was planned
   * on. {@code from} of size 0 also matches an absent resource (a fresh destination, or one that
   * Tessera initialised as an empty log). A resource that holds {@code to} already is left as it
   * is: a retried commit (the pipeline runs a failed bundle again) finds its own earlier write.
   */
  default void advanceTreeState(String path, TreeState from, TreeState to) throws IOException {
    Optional<byte[]> current = read(path, REPLACE_READ_LIMIT);
    TreeState found = current.map(json -> TreeState.parse(describe(path), json)).orElse(null);
    if (found != null && found.equals(to)) {
      return;
    }
    if (found == null ? from.size() != 0 : !found.equals(from)) {
      throw new PreconditionFailedException(
          describe(path)
              + ": the tree state is no longer "
              + from
              + " as planned ("
              + current.map(c -> new String(c, StandardCharsets.UTF_8)).orElse("absent")
              + "): another run advanced it; nothing committed");
    }
    replace(path, current.orElse(null), to.toJson());
  }

  /**
   * Publishes a checkpoint of tree size {@code size} with {@link #replace}, unless the resource
   * holds one of that size or larger: the published checkpoint only ever advances, so a late write
   * from an older job (or a retried one) never moves it back behind the tree state. A resource that
   * is no checkpoint is replaced. Where another writer changes it between the read and the write,
   * reads again.
   */
  default void advanceCheckpoint(String path, byte[] note, long size) throws IOException {
    for (int attempt = 1; attempt <= 5; attempt++) {
      Optional<byte[]> current = read(path, SignedNote.MAX_BYTES);
      if (current.isPresent() && publishedSize(path, current.get()) >= size) {
        return;
      }
      try {
        replace(path, current.orElse(null), note);
        return;
      } catch (PreconditionFailedException changed) {
        // another writer published in between: compare with what it wrote
      }
    }
    throw new PreconditionFailedException(
        describe(path) + ": changed 5 times while a checkpoint of size " + size + " was published");
  }

  private long publishedSize(String path, byte[] note) {
    try {
      return Checkpoint.parse(describe(path), SignedNote.parse(describe(path), note).text()).size();
    } catch (InvalidLogException notACheckpoint) {
      return -1;
    }
  }

  /** Where a path lives, for messages: a file name or a URL. */
  String describe(String path);

  /** Number of requests retried so far, for the metrics. */
  default long retries() {
    return 0;
  }

  @Override
  default void close() throws IOException {}
}
