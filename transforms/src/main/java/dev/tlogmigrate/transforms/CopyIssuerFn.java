package dev.tlogmigrate.transforms;

import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.IssuerCertificate;
import java.io.IOException;
import java.util.Optional;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.values.KV;

/**
 * Copies one issuer certificate of a static-ct log, {@code issuer/<hex SHA-256>}, after checking
 * that it hashes to its name. One already in the destination, and valid, is not fetched again.
 */
public class CopyIssuerFn extends LogStorageFn<KV<String, Long>, String> {
  /** Issuers are single certificates: a few kilobytes. */
  static final int MAX_ISSUER_BYTES = 1 << 20;

  private final Counter copied = MigrationMetrics.counter(MigrationMetrics.ISSUERS_COPIED);
  private final Counter present = MigrationMetrics.counter(MigrationMetrics.ISSUERS_PRESENT);
  private final Counter bytesRead = MigrationMetrics.counter(MigrationMetrics.BYTES_READ);
  private final Counter bytesWritten = MigrationMetrics.counter(MigrationMetrics.BYTES_WRITTEN);

  public CopyIssuerFn(MigrationSpec spec) {
    super(spec, true);
  }

  @ProcessElement
  public void process(@Element KV<String, Long> reference, OutputReceiver<String> out)
      throws IOException, InterruptedException {
    String path = IssuerCertificate.resource(reference.getKey());
    run.work(source.describe(path), () -> copy(reference, path, out));
  }

  private void copy(KV<String, Long> reference, String path, OutputReceiver<String> out)
      throws IOException {
    String fingerprint = reference.getKey();
    Optional<byte[]> existing = destination.read(path, MAX_ISSUER_BYTES);
    if (existing.isPresent() && matches(fingerprint, existing.get())) {
      present.inc();
      out.output(fingerprint);
      return;
    }
    byte[] body =
        source
            .read(path, MAX_ISSUER_BYTES)
            .orElseThrow(
                () ->
                    new InvalidLogException(
                        source.describe(path)
                            + ": issuer missing from the source (referenced by entry "
                            + reference.getValue()
                            + ")"));
    bytesRead.inc(body.length);
    try {
      IssuerCertificate.verify(fingerprint, body);
    } catch (InvalidLogException e) {
      throw new InvalidLogException(
          source.describe(path)
              + ": wrong issuer certificate (referenced by entry "
              + reference.getValue()
              + "): "
              + e.getMessage());
    }
    if (writeImmutable(path, body)) {
      uncommittedReplaced.inc();
    }
    copied.inc();
    bytesWritten.inc(body.length);
    out.output(fingerprint);
  }

  private static boolean matches(String fingerprint, byte[] body) {
    try {
      IssuerCertificate.verify(fingerprint, body);
      return true;
    } catch (InvalidLogException e) {
      return false;
    }
  }
}
