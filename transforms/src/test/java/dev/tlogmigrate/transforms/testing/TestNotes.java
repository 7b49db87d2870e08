package dev.tlogmigrate.transforms.testing;

import dev.tlogmigrate.transforms.generate.NoteSigner;
import java.util.Base64;

/** Signed checkpoints of a test log at any size, for the storage tests (roots are made up). */
public final class TestNotes {
  private static final NoteSigner SIGNER =
      NoteSigner.parse(NoteSigner.signerKey("example.com/storage-test", new byte[32]));

  private TestNotes() {}

  public static byte[] checkpoint(long size) {
    byte[] root = new byte[32];
    root[0] = (byte) size;
    return SIGNER.sign(
        SIGNER.name() + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n");
  }
}
