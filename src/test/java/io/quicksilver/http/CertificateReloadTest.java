package io.quicksilver.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.config.HubConfig;
import io.quicksilver.support.TestCertificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's certificate is replaced only by a pair whose key is the certificate's: a renewal writes the two files
 * one after the other, and a check that reads between the writes must keep serving the previous pair.
 */
@Timeout(60)
class CertificateReloadTest {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCertificateWithAnotherKeyIsNotServedUntilTheKeyFollows() throws Exception {
    TestCertificates.Pair served = TestCertificates.create(dir, "served");
    TestCertificates.Pair renewed = TestCertificates.create(dir, "renewed");
    ListenerTls.Reloader reloader = new ListenerTls.Reloader(vertx, new HubConfig.Tls(served.cert(), served.key(), null));
    await(reloader.start());
    List<ServerSSLOptions> applied = new ArrayList<>();

    // the renewal's certificate is written, its key not yet
    Files.copy(renewed.cert(), served.cert(), StandardCopyOption.REPLACE_EXISTING);
    await(reloader.check(options -> record(applied, options)));
    assertEquals(0, applied.size(), "a certificate with the previous key is not served");

    Files.copy(renewed.key(), served.key(), StandardCopyOption.REPLACE_EXISTING);
    await(reloader.check(options -> record(applied, options)));
    assertEquals(1, applied.size(), "the renewed pair is served once both files are written");

    await(reloader.check(options -> record(applied, options)));
    assertEquals(1, applied.size(), "unchanged files are not loaded again");
  }

  @Test
  void aCertificateOfAnotherKeyTypeIsNotServedWithThePreviousKey() throws Exception {
    TestCertificates.Pair served = TestCertificates.createRsa(dir, "rsa");
    TestCertificates.Pair renewed = TestCertificates.create(dir, "ec");
    ListenerTls.Reloader reloader = new ListenerTls.Reloader(vertx, new HubConfig.Tls(served.cert(), served.key(), null));
    await(reloader.start());
    List<ServerSSLOptions> applied = new ArrayList<>();

    Files.copy(renewed.cert(), served.cert(), StandardCopyOption.REPLACE_EXISTING);
    await(reloader.check(options -> record(applied, options)));
    assertEquals(0, applied.size(), "an EC certificate with the previous RSA key is not served");

    Files.copy(renewed.key(), served.key(), StandardCopyOption.REPLACE_EXISTING);
    await(reloader.check(options -> record(applied, options)));
    assertEquals(1, applied.size(), "the EC pair is served once both files are written");
  }

  private static Future<Boolean> record(List<ServerSSLOptions> applied, ServerSSLOptions options) {
    applied.add(options);
    return Future.succeededFuture(true);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
