package dev.tlogmigrate.transforms.storage.gcs;

import com.google.auth.Credentials;
import com.google.cloud.NoCredentials;
import java.io.Serializable;
import org.apache.beam.sdk.extensions.gcp.auth.CredentialFactory;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
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
   * What Beam's default factory looks for, in Google's auth library's order: said when none is
   * found, rather than going on without credentials.
   */
  static final String LOOKED_FOR =
      "no Google Cloud credentials: looked for Application Default Credentials (the key file that"
          + " GOOGLE_APPLICATION_CREDENTIALS names, gcloud's application_default_credentials.json"
          + " from 'gcloud auth application-default login', the metadata server of a Google Cloud"
          + " machine) and found none; for a public bucket without credentials give"
          + " --credentialFactoryClass="
          + NoopCredentialFactory.class.getName();

  /**
   * The credentials; {@link NoCredentials} where the factory deliberately gives none that sign
   * requests ({@code --credentialFactoryClass} of Beam's NoopCredentialFactory, for a public bucket
   * or a test server).
   *
   * @throws IllegalStateException saying what was looked for, when there are none: requests without
   *     credentials would be refused, or worse, be taken as anonymous
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
    if (credentials == null) { // Beam's default factory found no Application Default Credentials
      throw new IllegalStateException(
          LOOKED_FOR
              + (impersonateServiceAccount == null
                  ? ""
                  : " (to impersonate " + impersonateServiceAccount + ")"));
    }
    return credentials.hasRequestMetadata() ? credentials : NoCredentials.getInstance();
  }
}
