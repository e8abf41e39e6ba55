package com.creditwallet.gateway;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;

/**
 * Optional TLS for the HTTP port ({@code wallet.http.tls}: WALLET_TLS_KEYSTORE,
 * WALLET_TLS_KEYSTORE_PASSWORD, WALLET_TLS_KEYSTORE_TYPE). Without a keystore the port speaks
 * plain HTTP, the usual setup behind a TLS-terminating load balancer; with one, it speaks only
 * HTTPS. A keystore that cannot be read stops the node at start with a message that never
 * contains the password.
 */
public final class HttpsSetup {
  private HttpsSetup() {}

  public static Optional<HttpsConnectionContext> fromConfig(Config tls) {
    String path = tls.getString("keystore");
    if (path.isBlank()) return Optional.empty();
    char[] password = tls.getString("keystore-password").toCharArray();
    String type = tls.getString("keystore-type");
    Path file = Path.of(path);
    if (!Files.isReadable(file)) {
      throw new IllegalStateException("WALLET_TLS_KEYSTORE: cannot read " + file.toAbsolutePath());
    }
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, new SecureRandom());
      return Optional.of(ConnectionContext.httpsServer(context));
    } catch (IOException | GeneralSecurityException e) {
      // The exception's own message never holds the password; it says "wrong password" or which format failed.
      throw new IllegalStateException("WALLET_TLS_KEYSTORE " + file.toAbsolutePath() + " (type " + type
          + ") could not be loaded: " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
  }
}
