package dev.tlogmigrate.transforms.secret;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A secret that a stage of a run needs where it runs (the source's bearer token where entry tiles
 * are fetched, the MySQL password where the verified tree is handed to Tessera), and where it comes
 * from. What a DoFn carries is where to read it, never more than it must:
 *
 * <ul>
 *   <li>a file or an environment variable, read by the process that uses the secret;
 *   <li>a value given on the command line of an in-process run (the DirectRunner): a key to this
 *       process's memory, so that the value is in no serialized DoFn at all;
 *   <li>only for a runner whose workers are other machines: the value itself, in the DoFns that use
 *       it and no others.
 * </ul>
 *
 * Never printed: {@link #toString} says where the secret comes from, and no message holds its
 * value.
 */
public abstract class Secret implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Values given to this process, by key: what {@link #given} secrets refer to. */
  private static final Map<String, String> GIVEN = new ConcurrentHashMap<>();

  /** The option the secret was given with, for messages: "--sourceBearerToken". */
  private final String option;

  /**
   * Where each kind finds the secret: a file's path, a variable's name, a key to this process's
   * memory, or the value itself. Never printed.
   */
  private final String where;

  private Secret(String option, String where) {
    this.option = option;
    this.where = where;
  }

  /**
   * The secret, read where it is used: one line naming where it was looked for if it is not there.
   */
  public abstract String value() throws IOException;

  /** Where the secret comes from, for messages: never its value. */
  @Override
  public abstract String toString();

  /** The option the secret was given with. */
  public String option() {
    return option;
  }

  /** Where this kind of secret finds it (see {@link #where}): never for a message. */
  final String where() {
    return where;
  }

  /** Two secrets are equal when they are of one kind, for one option, found in one place. */
  @Override
  public final boolean equals(Object o) {
    return o instanceof Secret other
        && other.getClass() == getClass()
        && other.option.equals(option)
        && other.where.equals(where);
  }

  @Override
  public final int hashCode() {
    return Objects.hash(option, where);
  }

  /** A secret in a file (its whole content, without a trailing newline), read where it is used. */
  public static Secret ofFile(String option, String path) {
    return new InFile(option, path);
  }

  /** A secret in an environment variable of the process that uses it. */
  public static Secret ofEnvironment(String option, String variable) {
    return new InEnvironment(option, variable);
  }

  /**
   * A value given on this process's command line, for stages that run in this process: what a DoFn
   * carries is a key to it, which no other process can resolve.
   */
  public static Secret given(String option, String value) {
    String key = UUID.randomUUID().toString();
    GIVEN.put(key, value);
    return new InProcess(option, key);
  }

  /** A value that travels with the DoFns that need it, for workers on other machines. */
  public static Secret carried(String option, String value) {
    return new Carried(option, value);
  }

  private static final class InFile extends Secret {
    private static final long serialVersionUID = 1L;

    InFile(String option, String path) {
      super(option, path);
    }

    @Override
    public String value() throws IOException {
      String content;
      try {
        content = Files.readString(Path.of(where()), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new IOException(this + ": no such file on this machine");
      } catch (IOException e) {
        throw new IOException(this + ": cannot read it: " + e.getMessage());
      }
      // A file written by echo or a secret store ends with a newline that is not the secret's.
      String value =
          content.endsWith("\r\n") ? content.substring(0, content.length() - 2) : content;
      value = value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
      if (value.isEmpty()) {
        throw new IOException(this + ": the file is empty");
      }
      return value;
    }

    @Override
    public String toString() {
      return option() + " " + where();
    }
  }

  private static final class InEnvironment extends Secret {
    private static final long serialVersionUID = 1L;

    InEnvironment(String option, String variable) {
      super(option, variable);
    }

    @Override
    public String value() throws IOException {
      String value = System.getenv(where());
      if (value == null || value.isEmpty()) {
        throw new IOException(this + ": the environment variable is not set in this process");
      }
      return value;
    }

    @Override
    public String toString() {
      return option() + " " + where();
    }
  }

  private static final class InProcess extends Secret {
    private static final long serialVersionUID = 1L;

    InProcess(String option, String key) {
      super(option, key);
    }

    @Override
    public String value() throws IOException {
      String value = GIVEN.get(where());
      if (value == null) {
        throw new IOException(
            "the value of " + option() + " is only in the memory of the process it was given to");
      }
      return value;
    }

    @Override
    public String toString() {
      return "the value of " + option();
    }
  }

  private static final class Carried extends Secret {
    private static final long serialVersionUID = 1L;

    Carried(String option, String value) {
      super(option, value);
    }

    @Override
    public String value() {
      return where();
    }

    @Override
    public String toString() {
      return "the value of " + option();
    }
  }
}
