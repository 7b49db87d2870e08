package dev.tlogmigrate.launcher;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Turns whatever a run threw, however deeply a runner wrapped it, into one line for the user. */
final class Errors {
  private Errors() {}

  static String oneLine(Throwable t) {
    Throwable best = t;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof InvalidLogException
          || c instanceof IOException
          || c instanceof UncheckedIOException
          || c instanceof IllegalArgumentException
          || c instanceof IllegalStateException) {
        best = c;
        // Ours: an InvalidLogException, or a plain IOException that already tells the whole story
        // ("GET <url>: <what failed> after 3 attempts"); a deeper cause would lose the resource.
        if (c instanceof InvalidLogException || c.getClass() == IOException.class) {
          break;
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    String message = best.getMessage();
    if (message == null || message.isBlank()) {
      message = best.getClass().getSimpleName();
    } else if (best instanceof IOException && best.getClass() != IOException.class) {
      message =
          best.getClass().getSimpleName()
              + ": "
              + message; // NoSuchFileException: /x says more than /x
    }
    return message.lines().findFirst().orElse(message);
  }
}
