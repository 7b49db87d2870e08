package dev.tlogmigrate.launcher;

import dev.tlogmigrate.transforms.secret.Secret;
import java.io.IOException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A secret option in its three forms, {@code --NAME=VALUE}, {@code --NAMEFile=PATH} and {@code
 * --NAMEEnv=VARIABLE}: at most one, read once at start so that a missing file fails before anything
 * is planned, and then kept where the runner's workers find it ({@link Secret}).
 */
final class SecretOptions {
  private SecretOptions() {}

  /**
   * The secret the options give, or null for none.
   *
   * @param remoteWorkers whether the runner's workers are other machines, which have neither this
   *     process's memory nor, as a rule, its files and environment: they get the value itself
   */
  static @Nullable Secret of(
      String name,
      @Nullable String value,
      @Nullable String file,
      @Nullable String environmentVariable,
      boolean remoteWorkers)
      throws IOException {
    if (Stream.of(value, file, environmentVariable).filter(SecretOptions::isSet).count() > 1) {
      throw new IllegalArgumentException(
          "give one of --" + name + ", --" + name + "File and --" + name + "Env");
    }
    Secret secret =
        isSet(value)
            ? Secret.given("--" + name, value)
            : isSet(file)
                ? Secret.ofFile("--" + name + "File", file)
                : isSet(environmentVariable)
                    ? Secret.ofEnvironment("--" + name + "Env", environmentVariable.strip())
                    : null;
    if (secret == null) {
      return null;
    }
    String read = secret.value();
    return remoteWorkers ? Secret.carried(secret.option(), read) : secret;
  }

  /** Whether an option has a value: a template's unset parameter arrives empty. */
  static boolean isSet(@Nullable String value) {
    return value != null && !value.isBlank();
  }
}
