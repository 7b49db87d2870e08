package dev.tlogmigrate.transforms.format;

import static dev.tlogmigrate.transforms.format.TestData.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tessera's .state/treeState (Tessera v1.0.4, storage/posix): compact JSON, no newline, as Go
 * writes it.
 */
class TreeStateTest {
  private static final String RES = "/dst/.state/treeState";

  @Test
  void emptyTree() {
    TreeState s = new TreeState(0, Rfc6962.emptyRoot());
    assertEquals(
        "{\"size\":0,\"root\":\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"}",
        new String(s.toJson(), StandardCharsets.UTF_8));
    assertEquals(s, TreeState.parse(RES, s.toJson()));
  }

  @Test
  void largeSizeRoundTrip() {
    TreeState s = new TreeState(Long.MAX_VALUE, new byte[32]);
    assertEquals(s, TreeState.parse(RES, s.toJson()));
    assertArrayEquals(
        utf8(
            "{\"size\":9223372036854775807,\"root\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}"),
        s.toJson());
  }

  // Whitespace and key order are not ours to insist on when reading.
  @Test
  void readsOtherJsonLayouts() {
    TreeState s =
        TreeState.parse(
            RES,
            utf8("{ \"root\": \"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\", \"size\": 0 }\n"));
    assertEquals(0, s.size());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[]",
        "{}",
        "{\"size\":15}",
        "{\"root\":\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"}",
        "{\"size\":\"15\",\"root\":\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"}",
        "{\"size\":1.5,\"root\":\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"}",
        "{\"size\":-1,\"root\":\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"}",
        "{\"size\":9223372036854775808,\"root\":\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"}",
        "{\"size\":1,\"root\":\"AAAA\"}",
        "{\"size\":1,\"root\":\"not base64!\"}",
        "{\"size\":1,\"root\":32}",
      })
  void rejectsBadState(String json) {
    InvalidLogException e =
        assertThrows(InvalidLogException.class, () -> TreeState.parse(RES, utf8(json)));
    assertTrue(e.getMessage().startsWith(RES + ": "), e.getMessage());
  }

  @Test
  void constructorChecks() {
    assertThrows(IllegalArgumentException.class, () -> new TreeState(-1, new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> new TreeState(1, new byte[31]));
  }
}
