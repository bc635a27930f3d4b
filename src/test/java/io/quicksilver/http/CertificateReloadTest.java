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
    renewCertificateFirst(TestCertificates.create(dir, "served"), TestCertificates.create(dir, "renewed"));
  }

  @Test
  void aCertificateOfAnotherKeyTypeIsNotServedWithThePreviousKey() throws Exception {
    renewCertificateFirst(TestCertificates.createRsa(dir, "rsa"), TestCertificates.create(dir, "ec"));
  }

  /** Writes the renewal's certificate over the served files, checks, then its key, checks, then checks once more. */
  private void renewCertificateFirst(TestCertificates.Pair served, TestCertificates.Pair renewed) throws Exception {
    ListenerTls.Reloader reloader = new ListenerTls.Reloader(vertx, new HubConfig.Tls(served.cert(), served.key(), null));
    await(reloader.start());
    List<ServerSSLOptions> applied = new ArrayList<>();

    Files.copy(renewed.cert(), served.cert(), StandardCopyOption.REPLACE_EXISTING);
    await(reloader.check(options -> record(applied, options)));
    assertEquals(0, applied.size(), "a certificate with the previous key is not served");

    Files.copy(renewed.key(), served.key(), StandardCopyOption.REPLACE_EXISTING);
    await(reloader.check(options -> record(applied, options)));
    assertEquals(1, applied.size(), "the renewed pair is served once both files are written");

    await(reloader.check(options -> record(applied, options)));
    assertEquals(1, applied.size(), "unchanged files are not loaded again");
  }

  private static Future<Boolean> record(List<ServerSSLOptions> applied, ServerSSLOptions options) {
    applied.add(options);
    return Future.succeededFuture(true);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
