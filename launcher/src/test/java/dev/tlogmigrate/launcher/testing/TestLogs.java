package dev.tlogmigrate.launcher.testing;

import dev.tlogmigrate.launcher.tools.LogGenerator;
import dev.tlogmigrate.transforms.generate.NoteSigner;
import java.io.IOException;
import java.nio.file.Path;

/** Test logs written by the project's generator with its public test key. */
public final class TestLogs {
  public static final NoteSigner SIGNER = NoteSigner.parse(LogGenerator.TEST_SIGNER_KEY);
  public static final String VKEY = SIGNER.verifierKey();

  private TestLogs() {}

  /** A log of size entries of 0..64 bytes (small, so that tests stay fast). */
  public static Path generate(Path dir, long size) throws IOException {
    new LogGenerator(dir, SIGNER, 7, 0, 64).generate(size);
    return dir;
  }
}
