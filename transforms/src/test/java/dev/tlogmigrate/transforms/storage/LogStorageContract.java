package dev.tlogmigrate.transforms.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TreeState;
import dev.tlogmigrate.transforms.testing.TestNotes;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LogStorage} that a run writes to keeps (a directory, GCS, S3), on top of {@link
 * LogStorageReadContract}: tiles are read back as written and may be written again, {@link
 * LogStorage#replace} is a compare-and-swap, the tree state advances only from the state a run was
 * planned on, and the published checkpoint only ever advances. Each store's test extends this and
 * adds what is its own.
 */
public abstract class LogStorageContract extends LogStorageReadContract {
  private static final String STATE = ".state/treeState";
  private static final TreeState EMPTY = new TreeState(0, Rfc6962.emptyRoot());
  private static final TreeState TEN = new TreeState(10, new byte[32]);
  private static final TreeState TWENTY = new TreeState(20, new byte[32]);

  /** Where the log lives, as the store names its resources: "gs://bucket/prefix/", "/dir/". */
  protected abstract String location();

  /** A resource's bytes as stored, looked at behind the store's back; null where there is none. */
  protected abstract byte[] stored(String path) throws IOException;

  /**
   * What changes whenever the resource is written again, to tell a write that was not made: GCS's
   * generation, S3's ETag (the MD5 of the bytes: it tells only a write of other bytes), a file's
   * inode (every write renames a new file into place).
   */
  protected abstract Object version(String path) throws IOException;

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  private String storedString(String path) throws IOException {
    return new String(stored(path), UTF_8);
  }

  @Test
  void resourcesAreNamedWithinTheLocationAndCannotLeaveIt() {
    assertEquals(location() + "tile/0/000", storage.describe("tile/0/000"));
    assertThrows(IllegalArgumentException.class, () -> storage.read("../escape", 10));
    assertThrows(IllegalArgumentException.class, () -> storage.write("../escape", new byte[1]));
  }

  @Test
  void writtenTilesAndBundlesAreReadBack() throws IOException {
    byte[] tile = bytes(32 * 3);
    storage.write("tile/0/000.p/3", tile);
    storage.write("tile/entries/000.p/3", utf8("abc"));
    storage.flush();

    assertArrayEquals(tile, stored("tile/0/000.p/3"));
    assertEquals(
        Optional.of("abc"),
        storage.read("tile/entries/000.p/3", 10).map(b -> new String(b, UTF_8)));
  }

  @Test
  void rewritingTheSameTileIsFine() throws IOException {
    storage.write("tile/1/000", bytes(8192));

    storage.write("tile/1/000", bytes(8192)); // a bundle the pipeline runs again

    assertArrayEquals(bytes(8192), stored("tile/1/000"));
  }

  @Test
  void theCheckpointOnlyAdvances() throws IOException {
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(300), 300);
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(600), 600);
    Object version = version("checkpoint");

    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(300), 300); // an older job's
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(600), 600); // a retried one

    assertArrayEquals(TestNotes.checkpoint(600), stored("checkpoint"));
    assertEquals(version, version("checkpoint"), "the checkpoint was written again");

    putBehindItsBack("checkpoint", utf8("not a checkpoint"));
    storage.advanceCheckpoint("checkpoint", TestNotes.checkpoint(300), 300);
    assertArrayEquals(TestNotes.checkpoint(300), stored("checkpoint"));
  }

  @Test
  void replaceCreatesOnlyWhatDoesNotExistYet() throws IOException {
    storage.replace(STATE, null, utf8("first"));

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class, () -> storage.replace(STATE, null, utf8("second")));

    assertTrue(e.getMessage().contains("expected no resource but found 'first'"), e.getMessage());
    assertEquals("first", storedString(STATE));
  }

  @Test
  void replaceRefusesAStaleExpectation() throws IOException {
    storage.replace(STATE, null, utf8("size 10"));
    storage.replace(STATE, utf8("size 10"), utf8("size 20"));

    assertThrows(
        PreconditionFailedException.class,
        () -> storage.replace(STATE, utf8("size 10"), utf8("size 30")));
    assertThrows(
        PreconditionFailedException.class,
        () -> storage.replace("checkpoint", utf8("size 10"), utf8("size 30")));
    assertEquals("size 20", storedString(STATE));
    assertNull(stored("checkpoint"));
  }

  @Test
  void aRetriedCommitFindsItsOwnTreeState() throws IOException {
    storage.advanceTreeState(STATE, EMPTY, TEN);
    storage.advanceTreeState(STATE, TEN, TWENTY);
    Object version = version(STATE);

    storage.advanceTreeState(STATE, TEN, TWENTY); // the pipeline ran the commit again

    assertEquals(version, version(STATE), "the tree state was written again");
    assertArrayEquals(TWENTY.toJson(), stored(STATE));
  }

  @Test
  void advanceTreeStateStartsFromAbsentOrEmptyAndRefusesAnyOtherState() throws IOException {
    storage.advanceTreeState(STATE, EMPTY, TEN); // a fresh destination
    assertArrayEquals(TEN.toJson(), stored(STATE));
    storage.advanceTreeState(STATE, EMPTY, TEN); // a retried commit: already done
    assertThrows(
        PreconditionFailedException.class, () -> storage.advanceTreeState(STATE, EMPTY, TWENTY));
    storage.advanceTreeState(STATE, TEN, TEN); // an up-to-date run that commits again
    storage.advanceTreeState(STATE, TEN, TWENTY);
    assertArrayEquals(TWENTY.toJson(), stored(STATE));

    // A Tessera-initialised empty log: its size-0 state is where a first run starts.
    putBehindItsBack(STATE, EMPTY.toJson());
    storage.advanceTreeState(STATE, EMPTY, TEN);
    assertArrayEquals(TEN.toJson(), stored(STATE));
  }
}
