package dev.tlogmigrate.transforms.format;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses and hashes entry bundles on one thread until the JIT has compiled that path, once per
 * process, before dozens of fetch threads need it. SHA-256 is fast only where C2 compiled its
 * callers (it then runs the CPU's SHA instructions), and dozens of fetch threads hashing in
 * interpreted code leave the compiler threads of a small machine so little CPU that the compilation
 * comes seconds late; one thread gets there at little cost (measured in {@code
 * launcher/benchmark/PROFILE.md}).
 */
public final class HashWarmUp {
  /** Bundles hashed: about 50,000 hashes, past C2's thresholds for the hashing methods. */
  private static final int BUNDLES = 96;

  private static boolean done;

  private HashWarmUp() {}

  /** Warms the hashing path up, the first time; later calls return at once. */
  public static synchronized void run() {
    if (done) {
      return;
    }
    List<byte[]> entries = new ArrayList<>();
    for (int i = 0; i < Tiles.WIDTH; i++) {
      entries.add(new byte[64 + (i * 37) % 1024]); // one to seventeen SHA-256 blocks
    }
    byte[] bundle = EntryBundle.encode(entries);
    MessageDigest md = Rfc6962.sha256();
    for (int i = 0; i < BUNDLES; i++) {
      bundle[bundle.length - 1 - i] ^= 1; // not the same input every time (in the last entry)
      byte[] hashes = EntryBundle.parse(bundle, Tiles.WIDTH, "warm-up").leafHashes(md);
      Rfc6962.subtreeRoot(md, hashes, 0, Tiles.WIDTH);
    }
    done = true;
  }
}
