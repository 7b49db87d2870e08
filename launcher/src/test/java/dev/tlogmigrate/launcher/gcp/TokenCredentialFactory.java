package dev.tlogmigrate.launcher.gcp;

import com.google.auth.Credentials;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import java.util.Date;
import org.apache.beam.sdk.extensions.gcp.auth.CredentialFactory;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A {@code --credentialFactoryClass} for tests: a fixed access token naming the service account
 * that {@code --impersonateServiceAccount} asked for, so that a proxy can see which credentials a
 * request was made with, without any token service.
 */
public final class TokenCredentialFactory implements CredentialFactory {
  private final String account;

  private TokenCredentialFactory(String account) {
    this.account = account;
  }

  /** Called by Beam's GcpOptions with the options the credentials are made from. */
  public static TokenCredentialFactory fromOptions(PipelineOptions options) {
    return new TokenCredentialFactory(options.as(GcpOptions.class).getImpersonateServiceAccount());
  }

  public static String tokenFor(String account) {
    return "token-for-" + account;
  }

  @Override
  @SuppressWarnings("JavaUtilDate") // AccessToken takes a Date
  public Credentials getCredential() {
    return GoogleCredentials.create(
        new AccessToken(tokenFor(account), new Date(System.currentTimeMillis() + 3_600_000)));
  }
}
