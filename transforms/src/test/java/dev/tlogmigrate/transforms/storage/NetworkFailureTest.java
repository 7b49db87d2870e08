package dev.tlogmigrate.transforms.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** What the GCS, S3 and HTTP stores say of a failed request, after the resource's name. */
class NetworkFailureTest {
  @Test
  void theJdksNetworkExceptionsInWords() {
    assertEquals(
        "connection refused", NetworkFailure.describe(new ConnectException("Connection refused")));
    assertEquals(
        "cannot connect: Connection timed out",
        NetworkFailure.describe(new ConnectException("Connection timed out")));
    assertEquals(
        "unknown host storage.invalid",
        NetworkFailure.describe(
            new UnknownHostException("storage.invalid: Name or service not known")));
    assertEquals("no route to host", NetworkFailure.describe(new NoRouteToHostException("x")));
    assertEquals(
        "timed out (Read timed out)",
        NetworkFailure.describe(new SocketTimeoutException("Read timed out")));
    assertEquals(
        "connection reset by the server",
        NetworkFailure.describe(new SocketException("Connection reset")));
    assertEquals("IOException: odd", NetworkFailure.describe(new IOException("odd")));
  }
}
