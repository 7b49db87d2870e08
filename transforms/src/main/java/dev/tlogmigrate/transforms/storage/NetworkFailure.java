package dev.tlogmigrate.transforms.storage;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A failed request to a remote store, in words an operator can act on ("connection refused",
 * "unknown host h") rather than the client library's exception names; the caller names the
 * resource.
 */
public final class NetworkFailure {
  private NetworkFailure() {}

  public static String describe(Throwable e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof ConnectException) {
      return m.toLowerCase(Locale.ROOT).contains("refused")
          ? "connection refused"
          : "cannot connect: " + m;
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + m.split(":", 2)[0];
    }
    if (e instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (e instanceof SocketTimeoutException) {
      return "timed out (" + m + ")";
    }
    if (e instanceof SocketException && m.toLowerCase(Locale.ROOT).contains("reset")) {
      return "connection reset by the server";
    }
    return e.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
  }
}
