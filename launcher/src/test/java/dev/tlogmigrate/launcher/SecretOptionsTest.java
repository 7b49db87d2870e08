package dev.tlogmigrate.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlogmigrate.transforms.secret.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret option's three forms: for in-process workers the secret travels as where to find it, for
 * workers on other machines as its value; never as both, and never printed.
 */
class SecretOptionsTest {
  @TempDir Path tmp;

  private static String serialized(Secret s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void aValueGivenForInProcessWorkersTravelsAsAKeyAndForOthersAsItself() throws IOException {
    String value = "v-" + UUID.randomUUID();

    Secret local = SecretOptions.of("sourceBearerToken", value, null, null, false);
    Secret remote = SecretOptions.of("sourceBearerToken", value, null, null, true);

    assertEquals(value, local.value());
    assertFalse(serialized(local).contains(value), "the value travels in-process");
    assertEquals(value, remote.value());
    assertTrue(serialized(remote).contains(value), "workers elsewhere get the value");
    assertEquals("the value of --sourceBearerToken", local.toString());
    assertFalse(remote.toString().contains(value), remote.toString());
  }

  @Test
  void aFileIsReadWhereItIsUsedInProcessAndByTheLauncherForOthers() throws IOException {
    String value = "v-" + UUID.randomUUID();
    Path file = tmp.resolve("secret");
    Files.writeString(file, value + "\r\n");

    Secret local = SecretOptions.of("tesseraMySqlPassword", null, file.toString(), null, false);
    Secret remote = SecretOptions.of("tesseraMySqlPassword", null, file.toString(), null, true);

    assertEquals(value, local.value());
    assertFalse(serialized(local).contains(value));
    assertTrue(serialized(local).contains(file.toString()));
    assertEquals("--tesseraMySqlPasswordFile " + file, local.toString());
    Files.delete(file);
    assertEquals(value, remote.value(), "read once by the launcher, carried");
    IOException gone = assertThrows(IOException.class, local::value);
    assertEquals(
        "--tesseraMySqlPasswordFile " + file + ": no such file on this machine", gone.getMessage());
  }

  @Test
  void noneOrOneFormOnly() throws IOException {
    assertNull(SecretOptions.of("sourceBearerToken", "", " ", null, false), "blank is unset");
    IllegalArgumentException both =
        assertThrows(
            IllegalArgumentException.class,
            () -> SecretOptions.of("sourceBearerToken", "a", null, "VAR", false));
    assertEquals(
        "give one of --sourceBearerToken, --sourceBearerTokenFile and --sourceBearerTokenEnv",
        both.getMessage());
    IOException unset =
        assertThrows(
            IOException.class,
            () ->
                SecretOptions.of(
                    "sourceBearerToken", null, null, "TLOG_MIGRATE_NO_SUCH_VARIABLE", false));
    assertEquals(
        "--sourceBearerTokenEnv TLOG_MIGRATE_NO_SUCH_VARIABLE: the environment variable is not set"
            + " in this process",
        unset.getMessage());
  }

  @Test
  void noSecretIsInTheOptionsAJobCarries() throws IOException {
    String token = "t-" + UUID.randomUUID();
    String password = "p-" + UUID.randomUUID();
    String inUrl = "u-" + UUID.randomUUID();
    PipelineOptionsFactory.register(MigrateOptions.class);
    MigrateOptions options =
        PipelineOptionsFactory.fromArgs(
                "--sourceBearerToken=" + token,
                "--tesseraMySqlPassword=" + password,
                "--tesseraMySqlUrl=jdbc:mysql://db.example/log?password=" + inUrl)
            .as(MigrateOptions.class);

    // What a runner ships to its workers and shows as the job's options.
    String json = new ObjectMapper().writeValueAsString(options);

    assertFalse(json.contains(token), json);
    assertFalse(json.contains(password), json);
    assertFalse(json.contains(inUrl), json);
  }
}
