package io.quicksilver.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A JWK Set served over HTTPS on 127.0.0.1, with a self-signed certificate made by the JDK's {@code keytool} (whose
 * PEM a hub is told to trust with {@code QS_JWKS_CA_FILE}); the set it serves can be replaced at any time.
 */
public final class JwksServer {

  private static final String PASSWORD = "changeit";

  private final HttpServer server;
  private final Path caPem;
  private final AtomicReference<JsonObject> set;
  private final AtomicInteger reads;

  private JwksServer(HttpServer server, Path caPem, AtomicReference<JsonObject> set, AtomicInteger reads) {
    this.server = server;
    this.caPem = caPem;
    this.set = set;
    this.reads = reads;
  }

  /** Makes a certificate for 127.0.0.1 in {@code dir} (blocking: call it off the event loop) and serves an empty set. */
  public static Future<JwksServer> start(Vertx vertx, Path dir) {
    Path keystore = dir.resolve("jwks-server.p12");
    Path pem = dir.resolve("jwks-ca.pem");
    try {
      keytool("-genkeypair", "-alias", "jwks", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
          "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
          "-storepass", PASSWORD, "-keypass", PASSWORD);
      keytool("-exportcert", "-rfc", "-alias", "jwks", "-keystore", keystore.toString(), "-storepass", PASSWORD,
          "-file", pem.toString());
    } catch (IOException | InterruptedException e) {
      return Future.failedFuture(e);
    }
    AtomicReference<JsonObject> set = new AtomicReference<>(new JsonObject().put("keys", new JsonArray()));
    AtomicInteger reads = new AtomicInteger();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword(PASSWORD)))
        .requestHandler(request -> {
          reads.incrementAndGet();
          request.response().putHeader("Content-Type", "application/jwk-set+json").end(set.get().encode());
        });
    return server.listen(0, "127.0.0.1").map(s -> new JwksServer(s, pem, set, reads));
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
  }

  /** Serves these keys from now on. */
  public void serve(JsonObject... keys) {
    set.set(new JsonObject().put("keys", new JsonArray(List.of((Object[]) keys))));
  }

  /** Writes a JWK Set of these keys to a file (atomically) and returns its {@code file://} URL. */
  public static String writeFile(Path file, JsonObject... keys) {
    try {
      Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"),
          new JsonObject().put("keys", new JsonArray(List.of((Object[]) keys))).encode());
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return file.toUri().toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The set's URL. */
  public String url() {
    return "https://127.0.0.1:" + server.actualPort() + "/jwks.json";
  }

  /** The PEM file of the server's certificate, for {@code QS_JWKS_CA_FILE}. */
  public Path caPem() {
    return caPem;
  }

  /** How many times the set was read. */
  public int reads() {
    return reads.get();
  }

  public Future<Void> close() {
    return server.close();
  }
}
