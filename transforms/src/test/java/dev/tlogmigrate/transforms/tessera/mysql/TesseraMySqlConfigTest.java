package dev.tlogmigrate.transforms.tessera.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.location.LogLocation;
import dev.tlogmigrate.transforms.secret.Secret;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The --tesseraMySqlUrl forms, and that the password shows nowhere. */
class TesseraMySqlConfigTest {
  private static final Secret PASSWORD = Secret.carried("--tesseraMySqlPassword", "p");

  @Test
  void mysqlAndMariadbUrlsAreTakenAndTheDriversFormIsUsed() {
    TesseraMySqlConfig mysql =
        TesseraMySqlConfig.of("jdbc:mysql://db.example:3306/log", "u", PASSWORD);
    assertEquals("jdbc:mariadb://db.example:3306/log", mysql.url());
    assertEquals("jdbc:mariadb://db.example:3306/log as u", mysql.toString());
    assertEquals(
        "jdbc:mariadb://h/log",
        TesseraMySqlConfig.of("jdbc:mariadb://h/log", "", null).toString(),
        "a template's empty user is none");
  }

  @Test
  void otherFormsAreRefusedNamingTheFlag() {
    for (String url :
        new String[] {
          "mysql://h/db", "jdbc:mariadb://h", "jdbc:mariadb://h/", "jdbc:postgresql://h/db"
        }) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> TesseraMySqlConfig.of(url, "u", PASSWORD));
      assertTrue(e.getMessage().startsWith("--tesseraMySqlUrl must be jdbc:mariadb://"), url);
    }
  }

  @Test
  void aPasswordInTheUrlOrItsOptionIsNeverShown() {
    TesseraMySqlConfig config =
        TesseraMySqlConfig.of(
            "jdbc:mysql://h:3306/log?user=u&password=hunter2",
            null,
            Secret.carried("--tesseraMySqlPassword", "other-pw"));
    assertEquals("jdbc:mariadb://h:3306/log", config.toString());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TesseraMySqlConfig.of(
                    "jdbc:mysql://u:hunter2@h:3306?password=hunter2", "u", PASSWORD));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void itTravelsToTheWorkersAsAJavaObjectWithOnlyWhereThePasswordIs() throws Exception {
    String password = "pw-" + System.nanoTime();
    for (Secret where :
        List.of(
            Secret.given("--tesseraMySqlPassword", password),
            Secret.ofEnvironment("--tesseraMySqlPasswordEnv", "DB_PASSWORD"),
            Secret.ofFile("--tesseraMySqlPasswordFile", "/run/secrets/db"))) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(TesseraMySqlConfig.of("jdbc:mariadb://h/log", "u", where));
      }
      assertFalse(
          bytes.toString(StandardCharsets.ISO_8859_1).contains(password),
          "the password itself travels with " + where);
    }
  }

  @Test
  void tesseraOnAwsServesFromAnS3Bucket() {
    TesseraMySqlConfig config = TesseraMySqlConfig.of("jdbc:mariadb://h/log", "u", PASSWORD);
    assertNull(config.refuseDestination(LogLocation.of("s3://bucket")));
    assertTrue(
        config
            .refuseDestination(LogLocation.of("gs://bucket"))
            .startsWith("--tesseraMySqlUrl needs an s3:// destination"));
    assertTrue(config.refuseDestination(LogLocation.of("/tmp/log")) != null);
  }
}
