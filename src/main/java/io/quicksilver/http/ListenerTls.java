package io.quicksilver.http;

import io.quicksilver.config.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.X509KeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS and HTTP/2 on the hub's listener. With a certificate ({@code http.tls_cert}, {@code http.tls_key}) the
 * listener serves HTTPS only, offering {@code h2} and {@code http/1.1} by ALPN; without one it serves
 * cleartext HTTP/1.1, and cleartext HTTP/2 too when {@code http.h2c} is on (for proxies that speak it: prior
 * knowledge or {@code Upgrade: h2c}).
 *
 * <p>The certificate files are read again every {@code http.tls_reload} ({@link Reloader}); when their
 * content changed (cert-manager renewed the Secret, the kubelet swapped the mounted files) the new pair is
 * served to new connections, and open ones keep theirs. A pair that does not load, or whose key is not the
 * certificate's (caught between the two writes of a renewal, or broken), is reported and the previous one stays
 * until the files are right.
 */
public final class ListenerTls {

  /** ALPN protocols offered, in order of preference. */
  static final List<HttpVersion> ALPN = List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1);

  private ListenerTls() {
  }

  /**
   * Streams one HTTP/2 connection may carry at once (Vert.x's default is 100): a browser puts every
   * {@code EventSource} of every tab on one origin onto one connection, and queues those past the limit.
   */
  static final int MAX_STREAMS_PER_CONNECTION = 1000;

  /**
   * Sets TLS, ALPN and cleartext HTTP/2 on the listener's options.
   *
   * @param tls the listener's certificate and key, or null for cleartext
   * @param h2c whether a cleartext listener accepts HTTP/2 (ignored with TLS, where ALPN offers it)
   */
  public static HttpServerOptions configure(HttpServerOptions options, HubConfig.Tls tls, boolean h2c) {
    options.setInitialSettings(new Http2Settings().setMaxConcurrentStreams(MAX_STREAMS_PER_CONNECTION));
    if (tls == null) {
      return options.setSsl(false).setHttp2ClearTextEnabled(h2c);
    }
    return options.setSsl(true)
        .setUseAlpn(true)
        .setAlpnVersions(ALPN)
        .setHttp2ClearTextEnabled(false)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()));
  }

  /** The scheme the listener serves with this certificate (null: none). */
  public static String scheme(HubConfig.Tls tls) {
    return tls == null ? "http" : "https";
  }

  /**
   * Watches the certificate and key files, and hands a changed pair to the listener. Start it before the
   * listener reads the files, so that a change in between is seen as one (served again, harmlessly).
   */
  public static final class Reloader {

    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    private final Vertx vertx;
    private final HubConfig.Tls tls;
    private Buffer cert;
    private Buffer key;
    private long timer = -1;
    private boolean checking;

    public Reloader(Vertx vertx, HubConfig.Tls tls) {
      this.vertx = vertx;
      this.tls = tls;
    }

    /** Reads the files as they are now: the pair the listener is about to load. */
    public Future<Void> start() {
      return read().map(pair -> {
        cert = pair.get(0);
        key = pair.get(1);
        return null;
      });
    }

    /**
     * Checks the files every {@code intervalMillis} and updates the listener when they changed.
     *
     * @param update replaces the listener's TLS options (for new connections); answers whether they changed
     */
    public void watch(long intervalMillis, Function<ServerSSLOptions, Future<Boolean>> update) {
      if (intervalMillis > 0) {
        timer = vertx.setPeriodic(intervalMillis, id -> check(update));
      }
    }

    /** Reads the files once and updates the listener if they changed; completes when done. */
    Future<Void> check(Function<ServerSSLOptions, Future<Boolean>> update) {
      if (checking) {
        return Future.succeededFuture();
      }
      checking = true;
      return read()
          .compose(pair -> {
            if (pair.get(0).equals(cert) && pair.get(1).equals(key)) {
              return Future.succeededFuture();
            }
            return vertx.executeBlocking(() -> mismatch(pair.get(0), pair.get(1)), false).compose(mismatch -> {
              if (mismatch != null) {
                // caught between the writes of a renewal (one file new, the other not yet): the next check sees both
                return Future.failedFuture(mismatch);
              }
              return update.apply(sslOptions(pair.get(0), pair.get(1)));
            }).map(changed -> {
              cert = pair.get(0);
              key = pair.get(1);
              LOG.info("TLS certificate reloaded from {}", tls.cert());
              return null;
            });
          })
          .<Void>mapEmpty()
          .onFailure(e -> LOG.warn("TLS certificate {} not reloaded (the previous one is still served): {}", tls.cert(), e.getMessage()))
          .onComplete(ar -> checking = false)
          .recover(e -> Future.succeededFuture());
    }

    public void stop() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }

    private Future<List<Buffer>> read() {
      return vertx.fileSystem().readFile(tls.cert().toString())
          .compose(c -> vertx.fileSystem().readFile(tls.key().toString()).map(k -> List.of(c, k)));
    }

    /**
     * Why this key is not the certificate's, or null when it is (a challenge signed with the key verifies with the
     * certificate's public key), or when this check cannot tell (a certificate it cannot read, a key type it does not
     * know: loading the pair then decides and reports).
     */
    String mismatch(Buffer cert, Buffer key) throws Exception {
      PublicKey publicKey;
      try {
        publicKey = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(cert.getBytes())).getPublicKey();
      } catch (Exception e) {
        return null;
      }
      String algorithm = switch (publicKey.getAlgorithm()) {
        case "RSA" -> "SHA256withRSA";
        case "EC" -> "SHA256withECDSA";
        default -> null;
      };
      if (algorithm == null) {
        return null;
      }
      X509KeyManager keys;
      try {
        keys = Arrays.stream(new PemKeyCertOptions().setCertValue(cert).setKeyValue(key).getKeyManagerFactory(vertx).getKeyManagers())
            .filter(X509KeyManager.class::isInstance).map(X509KeyManager.class::cast).findFirst().orElse(null);
      } catch (Exception e) {
        // a key of another type than the certificate's is refused here already
        return "the key cannot be used with the certificate (yet): " + e.getMessage();
      }
      String[] aliases = keys == null ? null : keys.getServerAliases(publicKey.getAlgorithm(), null);
      if (aliases == null || aliases.length == 0) {
        return "the key is not of the certificate's type (yet)";
      }
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(keys.getPrivateKey(aliases[0]));
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature) ? null : "the certificate does not match the key (yet)";
    }

    static ServerSSLOptions sslOptions(Buffer cert, Buffer key) {
      return new ServerSSLOptions()
          .setKeyCertOptions(new PemKeyCertOptions().setCertValue(cert).setKeyValue(key))
          .setUseAlpn(true)
          .setApplicationLayerProtocols(ALPN.stream().map(HttpVersion::alpnName).toList());
    }
  }
}
