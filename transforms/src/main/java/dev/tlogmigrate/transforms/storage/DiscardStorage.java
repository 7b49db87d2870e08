package dev.tlogmigrate.transforms.storage;

import java.util.Optional;

/**
 * The destination of a verification ({@code tlog-migrate verify}): always empty, and what is
 * written to it is dropped, so the migration pipeline runs its checks with nothing written.
 */
public final class DiscardStorage implements LogStorage {
  public static final String URI = "discard:";

  @Override
  public Optional<byte[]> read(String path, int maxBytes) {
    return Optional.empty();
  }

  @Override
  public void write(String path, byte[] data) {}

  @Override
  public String describe(String path) {
    return "(nowhere: a verification writes nothing) " + path;
  }
}
