package dev.tlogmigrate.launcher;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

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
    if (best instanceof FileSystemException fs && fs.getFile() != null) {
      return fs.getFile() + ": " + reason(fs);
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

  /** What the file system refused, in the words of the shell's own messages. */
  private static String reason(FileSystemException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName(); // the OS's words
  }
}
