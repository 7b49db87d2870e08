package dev.tlogmigrate.transforms.tessera.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.location.LogLocation;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** The --tesseraMySqlUrl forms, and that the password shows nowhere. */
class TesseraMySqlConfigTest {
  @Test
  void mysqlAndMariadbUrlsAreTakenAndTheDriversFormIsUsed() {
    TesseraMySqlConfig mysql = TesseraMySqlConfig.of("jdbc:mysql://db.example:3306/log", "u", "p");
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
          assertThrows(IllegalArgumentException.class, () -> TesseraMySqlConfig.of(url, "u", "p"));
      assertTrue(e.getMessage().startsWith("--tesseraMySqlUrl must be jdbc:mariadb://"), url);
    }
  }

  @Test
  void aPasswordInTheUrlOrItsOptionIsNeverShown() {
    TesseraMySqlConfig config =
        TesseraMySqlConfig.of("jdbc:mysql://h:3306/log?user=u&password=hunter2", null, "other-pw");
    assertEquals("jdbc:mariadb://h:3306/log", config.toString());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TesseraMySqlConfig.of("jdbc:mysql://u:hunter2@h:3306?password=hunter2", "u", "p"));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void itTravelsToTheWorkersAsAJavaObject() throws Exception {
    ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream());
    out.writeObject(TesseraMySqlConfig.of("jdbc:mariadb://h/log", "u", "p"));
  }

  @Test
  void tesseraOnAwsServesFromAnS3Bucket() {
    TesseraMySqlConfig config = TesseraMySqlConfig.of("jdbc:mariadb://h/log", "u", "p");
    assertNull(config.refuseDestination(LogLocation.of("s3://bucket")));
    assertTrue(
        config
            .refuseDestination(LogLocation.of("gs://bucket"))
            .startsWith("--tesseraMySqlUrl needs an s3:// destination"));
    assertTrue(config.refuseDestination(LogLocation.of("/tmp/log")) != null);
  }
}
