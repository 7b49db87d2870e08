package dev.tlogmigrate.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The one line a failed run prints names the resource, however the runner wrapped the failure. */
class ErrorsTest {
  @Test
  void aRetriedRequestThatGaveUpKeepsItsUrl() { // the deepest cause alone was
    // "SocketTimeoutException: Read timed out"
    IOException gaveUp =
        new IOException(
            "GET http://log.example/tile/entries/005: SocketTimeoutException: Read timed out after 3 attempts",
            new SocketTimeoutException("Read timed out"));
    assertEquals(
        gaveUp.getMessage(), Errors.oneLine(new RuntimeException("wrapped by the runner", gaveUp)));
  }

  @Test
  void aJdkExceptionSaysWhatItIs() {
    assertEquals(
        "/srv/log/checkpoint: no such file or directory",
        Errors.oneLine(
            new RuntimeException(
                new IllegalStateException(
                    "step failed", new NoSuchFileException("/srv/log/checkpoint")))));
  }
}
