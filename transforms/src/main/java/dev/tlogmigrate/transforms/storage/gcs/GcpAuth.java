package dev.tlogmigrate.transforms.storage.gcs;

import com.google.auth.Credentials;
import com.google.cloud.NoCredentials;
import java.io.Serializable;
import org.apache.beam.sdk.extensions.gcp.auth.CredentialFactory;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.jspecify.annotations.Nullable;

/**
 * How the GCS and Spanner clients authenticate, carried to the workers: the part of Beam's {@link
 * GcpOptions} that decides the credentials ({@code --credentialFactoryClass}, {@code
 * --impersonateServiceAccount}). Credentials themselves are not serialized; each worker makes them
 * as Beam does for its own GCS access: Application Default Credentials (on Dataflow, the worker's
 * service account), impersonating the given chain if any.
 */
public record GcpAuth(String credentialFactoryClass, @Nullable String impersonateServiceAccount)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Beam's defaults: Application Default Credentials, no impersonation. */
  public static final GcpAuth DEFAULT = from(PipelineOptionsFactory.create());

  public static GcpAuth from(PipelineOptions options) {
    GcpOptions gcp = options.as(GcpOptions.class);
    return new GcpAuth(
        gcp.getCredentialFactoryClass().getName(), gcp.getImpersonateServiceAccount());
  }

  /**
   * The credentials, or {@link NoCredentials} where the factory gives none (no ADC here, a no-op
   * factory).
   */
  public Credentials credentials() {
    GcpOptions gcp = PipelineOptionsFactory.create().as(GcpOptions.class);
    try {
      gcp.setCredentialFactoryClass(
          Class.forName(credentialFactoryClass).asSubclass(CredentialFactory.class));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "credential factory " + credentialFactoryClass + " is not on this worker's classpath", e);
    }
    gcp.setImpersonateServiceAccount(impersonateServiceAccount);
    Credentials credentials = gcp.getGcpCredential();
    return credentials == null || !credentials.hasRequestMetadata()
        ? NoCredentials.getInstance()
        : credentials;
  }
}
