package dev.tlogmigrate.transforms.format;

/**
 * The source (or destination) holds something that is not a valid part of the log it claims to be.
 * The message is one line and names the resource and, where there is one, the index.
 */
public class InvalidLogException extends RuntimeException {
  public InvalidLogException(String message) {
    super(message);
  }

  public InvalidLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
