package dev.tlogmigrate.transforms.storage.http;

import java.io.IOException;
import java.net.Socket;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * A TLS strategy made on the first HTTPS connection: making one reads the JDK's trust store and the
 * public suffix list, start-up work that an http:// source never needs.
 */
final class TlsOnFirstUse implements TlsSocketStrategy {
  private final Supplier<TlsSocketStrategy> make;
  private volatile TlsSocketStrategy made;

  TlsOnFirstUse(Supplier<TlsSocketStrategy> make) {
    this.make = make;
  }

  private TlsSocketStrategy strategy() {
    TlsSocketStrategy s = made;
    if (s == null) {
      synchronized (this) {
        if (made == null) {
          made = make.get();
        }
        s = made;
      }
    }
    return s;
  }

  @Override
  public SSLSocket upgrade(
      Socket socket, String target, int port, Object attachment, HttpContext context)
      throws IOException {
    return strategy().upgrade(socket, target, port, attachment, context);
  }
}
