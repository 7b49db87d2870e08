package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlogmigrate.transforms.CopyIssuers;
import dev.tlogmigrate.transforms.MigrationMetrics;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.format.InvalidLogException;
import dev.tlogmigrate.transforms.format.IssuerCertificate;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.Rfc6962;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.generate.IssuerCertificates;
import dev.tlogmigrate.transforms.location.LogLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CopyIssuers on the DirectRunner between two directories: each issuer the entries reference is
 * copied once, however many entries reference it, after checking that it hashes to its name; one
 * already in the destination is kept; one that is missing or wrong fails the run naming the lowest
 * entry that references it.
 */
class CopyIssuersTest {
  private static final byte[] A = IssuerCertificates.selfSigned("issuer A", new byte[] {'A'});
  private static final byte[] B = IssuerCertificates.selfSigned("issuer B", new byte[] {'B'});
  private static final byte[] C = IssuerCertificates.selfSigned("issuer C", new byte[] {'C'});

  @TempDir Path source;
  @TempDir Path destination;

  @Test
  void copiesEveryReferencedIssuerOnceHoweverManyEntriesReferenceIt() throws IOException {
    put(source, A);
    put(source, B);
    put(source, C); // referenced by no entry

    PipelineResult result =
        Pipelines.run(
            p ->
                PAssert.that(
                        copy(
                            p,
                            KV.of(name(A), 5L),
                            KV.of(name(B), 7L),
                            KV.of(name(A), 3L),
                            KV.of(name(A), 9L),
                            KV.of(name(B), 2L)))
                    .containsInAnyOrder(name(A), name(B)));

    assertEquals(2, Pipelines.counter(result, MigrationMetrics.ISSUERS_COPIED));
    assertArrayEquals(A, Files.readAllBytes(issuer(destination, A)));
    assertArrayEquals(B, Files.readAllBytes(issuer(destination, B)));
    assertFalse(Files.exists(issuer(destination, C)));
  }

  @Test
  void anIssuerAlreadyInTheDestinationIsKeptAndNotCopiedAgain() throws IOException {
    put(destination, A); // and not in the source

    PipelineResult result =
        Pipelines.run(
            p ->
                PAssert.that(copy(p, KV.of(name(A), 1L), KV.of(name(A), 4L)))
                    .containsInAnyOrder(name(A)));

    assertEquals(1, Pipelines.counter(result, MigrationMetrics.ISSUERS_PRESENT));
    assertEquals(0, Pipelines.counter(result, MigrationMetrics.ISSUERS_COPIED));
  }

  @Test
  void anIssuerMissingFromTheSourceFailsTheRunNamingTheLowestEntryReferencingIt() {
    Throwable failure =
        Pipelines.failure(
            p -> copy(p, KV.of(name(C), 12L), KV.of(name(C), 4L), KV.of(name(C), 9L)));

    assertTrue(failure instanceof InvalidLogException, String.valueOf(failure));
    assertEquals(
        issuer(source, C) + ": issuer missing from the source (referenced by entry 4)",
        failure.getMessage());
  }

  @Test
  void anIssuerThatDoesNotHashToItsNameIsRefusedAndNotCopied() throws IOException {
    Files.createDirectories(source.resolve("issuer"));
    Files.write(issuer(source, A), B); // A's name, B's bytes

    Throwable failure = Pipelines.failure(p -> copy(p, KV.of(name(A), 6L), KV.of(name(A), 2L)));

    assertTrue(failure instanceof InvalidLogException, String.valueOf(failure));
    assertTrue(
        failure
            .getMessage()
            .startsWith(issuer(source, A) + ": wrong issuer certificate (referenced by entry 2): "),
        failure.getMessage());
    assertFalse(Files.exists(issuer(destination, A)));
  }

  @Test
  void aCorrectlyNamedIssuerThatIsNotOneDerCertificateIsRefusedNamingItsPath() throws IOException {
    byte[] text = "a certificate, in words".getBytes(StandardCharsets.US_ASCII);
    put(source, text);

    Throwable failure = Pipelines.failure(p -> copy(p, KV.of(name(text), 9L)));

    assertTrue(failure instanceof InvalidLogException, String.valueOf(failure));
    assertEquals(
        issuer(source, text)
            + ": wrong issuer certificate (referenced by entry 9): issuer/"
            + name(text)
            + ": not one DER certificate: it does not start with a DER SEQUENCE",
        failure.getMessage());
    assertFalse(Files.exists(issuer(destination, text)));
  }

  @SafeVarargs
  private PCollection<String> copy(Pipeline p, KV<String, Long>... references) {
    MigrationSpec spec =
        MigrationSpec.create(
            LogLocation.of(source.toString()),
            LogLocation.of(destination.toString()),
            LogFormat.STATIC_CT,
            0,
            new byte[32],
            new byte[0],
            TreeEdge.empty());
    return p.apply("References", Create.of(List.of(references)))
        .apply("CopyIssuers", new CopyIssuers(spec));
  }

  /** The issuer's fingerprint: the lowercase hex SHA-256 of its certificate. */
  private static String name(byte[] certificate) {
    return HexFormat.of().formatHex(Rfc6962.sha256().digest(certificate));
  }

  private static Path issuer(Path log, byte[] certificate) {
    return log.resolve(IssuerCertificate.resource(name(certificate)));
  }

  private static void put(Path log, byte[] certificate) throws IOException {
    Files.createDirectories(log.resolve("issuer"));
    Files.write(issuer(log, certificate), certificate);
  }
}
