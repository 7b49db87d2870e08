package dev.tlogmigrate.transforms.storage.gcs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import org.junit.jupiter.api.Test;

/**
 * Pins down what google-cloud-nio's LocalStorageHelper does not do, which is why the one GCS test
 * that needs an in-memory fake (GcsReadPreconditionTest: preconditions on reads, which
 * fake-gcs-server ignores) runs on GenerationalFakeStorageRpc, the same fake with generations and
 * preconditions added. If a new version of the fake starts honouring preconditions, this test fails
 * and the extension can go.
 */
class LocalStorageHelperGapTest {
  private static final BlobInfo OBJECT =
      BlobInfo.newBuilder(BlobId.of("gap-bucket", "tile/0/000")).build();

  @Test
  void theDefaultFakeRejectsEveryPrecondition() {
    Storage strict = LocalStorageHelper.getOptions().getService();
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> strict.create(OBJECT, "a".getBytes(UTF_8), BlobTargetOption.doesNotExist()));
    // The client wraps the fake's UnsupportedOperationException; GCS would have created the object.
    assertInstanceOf(UnsupportedOperationException.class, rootCause(e), e.toString());
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  @Test
  void theLenientFakeIgnoresPreconditionsAndHasNoGenerations() {
    Storage lenient = LocalStorageHelper.customOptions(false).getService();
    lenient.create(OBJECT, "a".getBytes(UTF_8), BlobTargetOption.doesNotExist());
    lenient.create(OBJECT, "b".getBytes(UTF_8), BlobTargetOption.doesNotExist()); // GCS: 412

    assertArrayEquals("b".getBytes(UTF_8), lenient.readAllBytes(OBJECT.getBlobId()));
    assertNull(lenient.get(OBJECT.getBlobId()).getGeneration());
  }
}
