package dev.tlogmigrate.transforms.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Helpers shared by the format tests: test resources and hex. */
final class TestData {
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
}
