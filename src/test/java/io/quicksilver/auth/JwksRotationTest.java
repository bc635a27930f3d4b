package io.quicksilver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.config.ConfigException;
import io.quicksilver.config.ConfigLoader;
import io.quicksilver.support.Await;
import io.quicksilver.support.Http;
import io.quicksilver.support.JwksServer;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;



/**
 * Key rotation through JWK Sets, over HTTP against a hub whose publisher keys come from a set served over HTTPS
 * (a self-signed certificate the hub is told to trust) or read from a file: tokens under each key of the set are
 * accepted, an unknown {@code kid} is refused, a key added to the set is accepted once read, a removed key is
 * refused once read, and a set that never loaded refuses everything and shows in {@code /readyz}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class JwksRotationTest {

  private static final String TOPIC = "https://example.com/rotation";
  private static final KeyPair K1 = Tokens.generate("RS256");
  private static final KeyPair K2 = Tokens.generate("ES256");
  private static final KeyPair K3 = Tokens.generate("RS256");

  @TempDir
  static Path dir;
  private static JwksServer server;

  @BeforeAll
  static void serve(Vertx vertx, VertxTestContext test) {
    JwksServer.start(vertx, dir).onComplete(test.succeeding(s -> {
      server = s;
      test.completeNow();
    }));
  }

  @AfterAll
  static void stop(VertxTestContext test) {
    server.close().onComplete(test.succeedingThenComplete());
  }

  private static String token(String alg, KeyPair pair, String kid) {
    JsonObject header = new JsonObject().put("alg", alg).put("typ", "JWT").put("kid", kid);
    JsonObject claims = new JsonObject().put("mercure", new JsonObject().put("publish", new JsonArray().add("*")))
        .put("exp", Instant.now().plusSeconds(600).getEpochSecond());
    return Tokens.signed(alg, pair.getPrivate(), header, claims);
  }

  private static int publish(TestHub hub, String token) {
    HttpResponse<String> r = Http.post(hub.hub(""), token, Http.form("topic", TOPIC, "data", "x"));
    return r.statusCode();
  }

  /** Publishes until the answer is {@code status}: a set is read again at most every 500 ms here. */
  private static void awaitStatus(TestHub hub, String token, int status, String what) {
    Await.until(() -> publish(hub, token), s -> s == status, Duration.ofSeconds(20), s -> what + ": still " + s);
  }

  private static Map<String, String> env(String url, Path ca) {
    return ca == null ? Map.of("MERCURE_PUBLISHER_JWT_KEY", "", "MERCURE_PUBLISHER_JWKS_URL", url, "QS_JWKS_REFRESH", "500ms")
        : Map.of("MERCURE_PUBLISHER_JWT_KEY", "", "MERCURE_PUBLISHER_JWKS_URL", url, "QS_JWKS_REFRESH", "500ms",
            "QS_JWKS_CA_FILE", ca.toString());
  }

  /** Verifies the rotation over HTTPS: two keys, an unknown kid, a key added, a key removed. */
  @Test
  void rotationOverHttps() {
    server.serve(Tokens.jwk(K1.getPublic(), "k1", "RS256"), Tokens.jwk(K2.getPublic(), "k2", "ES256"));
    try (TestHub hub = TestHub.start(env(server.url(), server.caPem()))) {
      rotate(hub, () -> server.serve(Tokens.jwk(K1.getPublic(), "k1", "RS256"), Tokens.jwk(K2.getPublic(), "k2", "ES256"),
              Tokens.jwk(K3.getPublic(), "k3", "RS256")),
          () -> server.serve(Tokens.jwk(K2.getPublic(), "k2", "ES256"), Tokens.jwk(K3.getPublic(), "k3", "RS256")));
      assertEquals(List.of(), hub.takeBlockedEvents());
    }
  }

  /** Verifies the same rotation with a set read from a file. */
  @Test
  void rotationFromFile() {
    Path file = dir.resolve("jwks.json");
    String url = JwksServer.writeFile(file, Tokens.jwk(K1.getPublic(), "k1", "RS256"), Tokens.jwk(K2.getPublic(), "k2", "ES256"));
    try (TestHub hub = TestHub.start(env(url, null))) {
      rotate(hub, () -> JwksServer.writeFile(file, Tokens.jwk(K1.getPublic(), "k1", "RS256"), Tokens.jwk(K2.getPublic(), "k2", "ES256"),
              Tokens.jwk(K3.getPublic(), "k3", "RS256")),
          () -> JwksServer.writeFile(file, Tokens.jwk(K2.getPublic(), "k2", "ES256"), Tokens.jwk(K3.getPublic(), "k3", "RS256")));
    }
  }

  private static void rotate(TestHub hub, Runnable addK3, Runnable removeK1) {
    assertEquals(200, publish(hub, token("RS256", K1, "k1")));
    assertEquals(200, publish(hub, token("ES256", K2, "k2")));
    assertEquals(401, publish(hub, token("RS256", K3, "k3")), "a key the set does not hold");
    assertEquals(401, publish(hub, token("RS256", K1, "k9")), "an unknown kid");
    assertEquals(401, publish(hub, token("RS256", K3, "k1")), "another key under a known kid");
    assertEquals(401, publish(hub, Tokens.hs256(TestHub.PUBLISHER_KEY, new JsonObject().put("mercure",
        new JsonObject().put("publish", new JsonArray().add("*"))))), "an HMAC token");
    addK3.run();
    awaitStatus(hub, token("RS256", K3, "k3"), 200, "the added key k3");
    assertEquals(200, publish(hub, token("RS256", K1, "k1")));
    removeK1.run();
    awaitStatus(hub, token("RS256", K1, "k1"), 401, "the removed key k1");
    assertEquals(200, publish(hub, token("ES256", K2, "k2")));
    assertEquals(200, publish(hub, token("RS256", K3, "k3")));
    assertEquals(200, Http.get(hub.uri("/readyz"), Map.of()).statusCode());
  }

  /**
   * Verifies that a set that never loaded (nothing listens) refuses every token, unsigned ones included, and keeps
   * /readyz at 503 with its check DOWN; and that a set without one usable key counts as not loaded.
   */
  @Test
  void setNeverLoaded() {
    server.serve(new JsonObject().put("kty", "RSA").put("kid", "enc").put("use", "enc").put("alg", "RS256")
        .put("n", Tokens.jwk(K1.getPublic(), "x", null).getString("n")).put("e", "AQAB"));
    for (String url : List.of("https://127.0.0.1:1/jwks.json", server.url())) {
      try (TestHub hub = TestHub.start(env(url, server.caPem()))) {
        assertEquals(401, publish(hub, token("RS256", K1, "k1")));
        assertEquals(401, publish(hub, Tokens.none(new JsonObject().put("mercure", new JsonObject().put("publish", new JsonArray().add("*"))))));
        HttpResponse<String> ready = Http.get(hub.uri("/readyz"), Map.of());
        assertEquals(503, ready.statusCode());
        assertEquals("DOWN", new JsonObject(ready.body()).getJsonObject("checks").getString("keys"));
      }
    }
  }

  /** Verifies that a failed read keeps the last good set. */
  @Test
  void failedReadKeepsTheLastGoodSet() {
    server.serve(Tokens.jwk(K1.getPublic(), "k1", "RS256"));
    try (TestHub hub = TestHub.start(env(server.url(), server.caPem()))) {
      assertEquals(200, publish(hub, token("RS256", K1, "k1")));
      int reads = server.reads();
      server.serve(); // no usable key: refused as a set
      Await.until(server::reads, n -> n >= reads + 2, Duration.ofSeconds(20), n -> "the set was not read again");
      assertEquals(200, publish(hub, token("RS256", K1, "k1")));
    }
  }

  /** Verifies that a trusted draft-08 issuer's jwks_uri (with jwks_algorithms pinning ES256) verifies its access tokens. */
  @Test
  void trustedIssuerJwksUri() {
    Path file = dir.resolve("issuer.json");
    String url = JwksServer.writeFile(file, Tokens.jwk(K2.getPublic(), "i1", null), Tokens.jwk(K1.getPublic(), "i2", "RS256"));
    String issuers = new JsonArray().add(new JsonObject().put("issuer", "https://auth.example")
        .put("jwks_uri", url).put("jwks_algorithms", new JsonArray().add("ES256"))).encode();
    String resource = "https://hub.example/.well-known/mercure";
    try (TestHub hub = TestHub.start(Map.of("QS_TRUSTED_ISSUERS", issuers, "QS_RESOURCE_IDENTIFIER", resource))) {
      JsonObject claims = new JsonObject().put("iss", "https://auth.example").put("aud", resource)
          .put("exp", Instant.now().plusSeconds(600).getEpochSecond())
          .put("authorization_details", new JsonArray().add(new JsonObject().put("type", "https://mercure.rocks/authorization-detail")
              .put("actions", new JsonArray().add("publish")).put("topics", new JsonArray().add(new JsonObject().put("match", TOPIC)))));
      String es = Tokens.signed("ES256", K2.getPrivate(), Tokens.accessHeader("ES256").put("kid", "i1"), claims);
      assertEquals(200, publish(hub, es));
      // RS256 is not pinned: the key declaring it verifies nothing
      String rs = Tokens.signed("RS256", K1.getPrivate(), Tokens.accessHeader("RS256").put("kid", "i2"), claims);
      assertEquals(401, publish(hub, rs));
    }
  }

  /** Verifies that a static key and a JWK Set for one role, or an http:// set, stop start-up. */
  @Test
  void configurationErrors() {
    ConfigException both = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(TestHub.baseEnv(Map.of("MERCURE_SUBSCRIBER_JWKS_URL", server.url())), null));
    assertTrue(both.getMessage().contains("both set"), both.getMessage());
    assertThrows(ConfigException.class, () -> ConfigLoader.load(TestHub.baseEnv(Map.of("MERCURE_PUBLISHER_JWT_KEY", "",
        "MERCURE_PUBLISHER_JWKS_URL", "http://127.0.0.1/jwks.json")), null));
    assertThrows(ConfigException.class, () -> ConfigLoader.load(TestHub.baseEnv(Map.of("MERCURE_PUBLISHER_JWT_KEY", "",
        "MERCURE_PUBLISHER_JWKS_URL", server.url(), "MERCURE_PUBLISHER_JWT_ALG", "HS256")), null));
  }
}
