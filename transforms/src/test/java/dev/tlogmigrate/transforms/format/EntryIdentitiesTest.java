package dev.tlogmigrate.transforms.format;

import static dev.tlogmigrate.transforms.format.TestData.hex;
import static dev.tlogmigrate.transforms.format.TestData.resource;
import static dev.tlogmigrate.transforms.format.TestData.resourceString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Entry identities as Tessera's antispam follower computes them, checked against what Tessera's own
 * hashers print for a Tessera log's bundle and a TesseraCT data tile (resources/antispam, see its
 * SOURCE.txt).
 */
class EntryIdentitiesTest {
  /** The vectors: for each tile named in a comment line, its identities in order. */
  private static final Map<String, List<String>> VECTORS = vectors();

  private static Map<String, List<String>> vectors() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : resourceString("antispam/identities.txt").split("\n")) {
      if (line.startsWith("# ")) {
        current = new ArrayList<>();
        out.put(line.substring(2, line.indexOf(' ', 2)), current);
      } else if (!line.isBlank()) {
        current.add(line);
      }
    }
    return out;
  }

  private static List<String> identities(LeafTile tile) {
    byte[] all = tile.identities(Rfc6962.sha256());
    List<String> out = new ArrayList<>();
    for (int i = 0; i < tile.size(); i++) {
      out.add(hex(Arrays.copyOfRange(all, i * 32, i * 32 + 32)));
    }
    return out;
  }

  @Test
  void aTlogTilesEntryIsKnownByTheHashOfItsBytes() {
    String path = "tessera-log/tile/entries/000.p/15";
    EntryBundle bundle = EntryBundle.parse(resource(path), 15, path);

    assertEquals(VECTORS.get(path), identities(bundle));
    // Not the Merkle leaf hash, which prefixes 0x00.
    assertNotEquals(
        hex(bundle.leafHashes(Rfc6962.sha256())).substring(0, 64), VECTORS.get(path).get(0));
  }

  @Test
  void aCtEntryIsKnownByItsCertificateOrWholePreCertificate() {
    String path = "antispam/tesseract-data-000.p-4";
    DataTile tile = DataTile.parse(resource(path), 4, path);

    assertEquals(VECTORS.get(path), identities(tile));
  }
}
