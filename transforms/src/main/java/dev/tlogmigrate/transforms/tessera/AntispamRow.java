package dev.tlogmigrate.transforms.tessera;

import java.util.HexFormat;

/**
 * A row of Tessera's antispam index: an entry's identity and the first index the log holds it at.
 */
public record AntispamRow(byte[] identity, long index) {
  /** The identity in hex, as the index's refusals name it. */
  public String identityHex() {
    return HexFormat.of().formatHex(identity);
  }
}
