package dev.tlogmigrate.transforms.storage;

import dev.tlogmigrate.transforms.format.NoteSigner;
import java.util.Base64;

/** Signed checkpoints of a test log at any size, for the storage tests (roots are made up). */
final class TestNotes {
  private static final NoteSigner SIGNER =
      NoteSigner.parse(NoteSigner.signerKey("example.com/storage-test", new byte[32]));

  private TestNotes() {}

  static byte[] checkpoint(long size) {
    byte[] root = new byte[32];
    root[0] = (byte) size;
    return SIGNER.sign(
        SIGNER.name() + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n");
  }
}
