package dev.tlogmigrate.transforms.storage.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails every read once a deadline has passed: how a body that trickles in forever is cut off. */
final class DeadlineInputStream extends FilterInputStream {
  /** The deadline passed. */
  static final class Expired extends IOException {
    Expired() {
      super("deadline passed");
    }
  }

  private final long deadlineNanos;

  DeadlineInputStream(InputStream in, long deadlineNanos) {
    super(in);
    this.deadlineNanos = deadlineNanos;
  }

  private void check() throws Expired {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new Expired();
    }
  }

  @Override
  public int read() throws IOException {
    check();
    return super.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    check();
    return super.read(b, off, len);
  }
}
