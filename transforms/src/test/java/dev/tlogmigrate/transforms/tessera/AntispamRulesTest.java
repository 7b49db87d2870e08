package dev.tlogmigrate.transforms.tessera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.storage.PreconditionFailedException;
import org.junit.jupiter.api.Test;

/** Moving an antispam follower's nextIdx, as both databases decide what they found. */
class AntispamRulesTest {
  @Test
  void nextIdxWherePlannedIsMovedAndAtTheTargetIsARerun() throws Exception {
    assertTrue(AntispamRules.moved("db", "FollowCoord", 100, 100, 250));
    assertFalse(AntispamRules.moved("db", "FollowCoord", 250, 100, 250));
  }

  @Test
  void nextIdxMovedByAnotherWriterIsRefusedNamingIt() {
    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () -> AntispamRules.moved("db", "AntispamFollowCoord", 180, 100, 250));
    assertEquals(
        "db: AntispamFollowCoord.nextIdx is 180, not 100 as this run was planned: another writer"
            + " (a Tessera frontend's follower?); nextIdx not moved",
        e.getMessage());
  }
}
