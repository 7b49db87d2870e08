package dev.tlogmigrate.launcher.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tlogmigrate.launcher.tools.StaticLogServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;

/**
 * Serves a log directory, sending the data tiles whose path the predicate accepts with {@code
 * Content-Encoding: gzip} whatever the client asked for, as static-ct-api allows; the rest plain.
 */
public final class GzipDataTiles implements HttpHandler {
  private final Path dir;
  private final Predicate<String> gzipped;
  private final HttpHandler files;

  public GzipDataTiles(Path dir, Predicate<String> gzipped) {
    this.dir = dir;
    this.gzipped = gzipped;
    this.files = new StaticLogServer.DirectoryHandler(dir);
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    Path file = dir.resolve(path.substring(1));
    if (!path.startsWith("/tile/data/") || !gzipped.test(path) || !Files.isRegularFile(file)) {
      files.handle(ex);
      return;
    }
    byte[] body = gzip(Files.readAllBytes(file));
    ex.getResponseHeaders().set("Content-Encoding", "gzip");
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(body);
    }
  }

  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
