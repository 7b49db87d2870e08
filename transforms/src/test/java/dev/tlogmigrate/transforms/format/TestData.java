package dev.tlogmigrate.transforms.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Helpers shared by the format tests: test resources and hex. */
final class TestData {
  /** Entries of Tessera's testdata log, in order (tessera-log/SOURCE.txt). */
  static final List<String> TESSERA_ENTRIES =
      List.of(
          "one two three four five six seven eit nain ten ileven twelf threeten fourten fivten"
              .split(" "));

  private TestData() {}

  /** A file under src/test/resources, e.g. "tessera-log/checkpoint". */
  static byte[] resource(String path) {
    try (InputStream in = TestData.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String resourceString(String path) {
    return new String(resource(path), StandardCharsets.UTF_8);
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** RFC 6962 §2.1 MTH, straight from the definition; independent of Rfc6962. */
  static byte[] mth(List<byte[]> leafHashes) {
    int n = leafHashes.size();
    if (n == 0) {
      return sha256().digest(); // empty tree
    }
    if (n == 1) {
      return leafHashes.get(0).clone();
    }
    int k = 1;
    while (k * 2 < n) {
      k *= 2; // largest power of two strictly less than n
    }
    MessageDigest md = sha256();
    md.update((byte) 1);
    md.update(mth(leafHashes.subList(0, k)));
    md.update(mth(leafHashes.subList(k, n)));
    return md.digest();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
