package dev.tlogmigrate.launcher.testing;

import dev.tlogmigrate.transforms.generate.Rfc6962NoteSigner;
import java.util.Base64;

/** The static-ct-api log the tests generate: its key and its size. */
public final class StaticCtTestLog {
  public static final Rfc6962NoteSigner LOG_KEY =
      Rfc6962NoteSigner.fromSeed("ct.example.com/2026h1", new byte[] {42});
  public static final String PUBLIC_KEY = Base64.getEncoder().encodeToString(LOG_KEY.publicKey());
  public static final long SIZE = 700;

  private StaticCtTestLog() {}
}
