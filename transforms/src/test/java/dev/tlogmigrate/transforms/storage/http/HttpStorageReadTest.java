package dev.tlogmigrate.transforms.storage.http;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tlogmigrate.transforms.storage.LogStorage;
import dev.tlogmigrate.transforms.storage.LogStorageReadContract;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HttpStorage as every store is read ({@link LogStorageReadContract}): a directory served over HTTP
 * on loopback by the JDK's HttpServer, as a static web server serves a log. How it stands up to
 * servers that misbehave is HostileHttpTest's.
 */
class HttpStorageReadTest extends LogStorageReadContract {
  @TempDir Path served;
  private HttpServer server;

  @Override
  protected LogStorage open() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/log/",
        ex -> {
          try (ex) {
            Path file = served.resolve(ex.getRequestURI().getPath().substring("/log/".length()));
            if (!Files.isRegularFile(file)) {
              ex.sendResponseHeaders(404, -1);
              return;
            }
            byte[] body = Files.readAllBytes(file);
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
          }
        });
    server.start();
    return new HttpStorage(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/log/"),
        HttpSettings.defaults());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Override
  protected void putBehindItsBack(String path, byte[] data) throws IOException {
    writeFile(served, path, data);
  }

  /** The size a server declares is refused before the body is read. */
  @Override
  protected String sizeSaid(int bytes) {
    return "Content-Length " + bytes;
  }

  @Test
  void nothingIsWritten() {
    UnsupportedOperationException e =
        assertThrows(
            UnsupportedOperationException.class, () -> storage.write("checkpoint", new byte[1]));

    assertTrue(e.getMessage().contains(storage.describe("checkpoint")), e.getMessage());
  }
}
