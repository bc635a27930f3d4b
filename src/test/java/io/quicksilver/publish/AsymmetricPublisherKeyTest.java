package io.quicksilver.publish;

import static io.quicksilver.publish.Watcher.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubEndpoint;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/** RS256 and ES256 publisher keys given as SPKI PEM (MERCURE_PUBLISHER_JWT_KEY, MERCURE_PUBLISHER_JWT_ALG). */
@Timeout(60)
class AsymmetricPublisherKeyTest {

  private static final String TOPIC = "https://example.com/books/1";

  private static final KeyPair rsa = Tokens.generate("RS256");
  private static final String rsaPem = Tokens.pem(rsa.getPublic());
  private static final KeyPair ec = Tokens.generate("ES256");
  private static final String ecPem = Tokens.pem(ec.getPublic());
  @RegisterExtension
  static final HubExtension rsaHub = HubExtension.withEnv(Map.of("MERCURE_PUBLISHER_JWT_KEY", rsaPem, "MERCURE_PUBLISHER_JWT_ALG", "RS256"));
  @RegisterExtension
  static final HubExtension ecHub = HubExtension.withEnv(Map.of("MERCURE_PUBLISHER_JWT_KEY", ecPem, "MERCURE_PUBLISHER_JWT_ALG", "ES256"));
  private static Watcher rsaWatcher;
  private static Watcher ecWatcher;

  @BeforeAll
  static void watch() {
    rsaWatcher = Watcher.open(rsaHub, Tokens.signed("RS256", rsa.getPrivate(), claims()));
    ecWatcher = Watcher.open(ecHub, Tokens.signed("ES256", ec.getPrivate(), claims()));
  }

  @AfterAll
  static void unwatch() {
    rsaWatcher.close();
    ecWatcher.close();
  }

  private static String pem(KeyPair pair) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static JsonObject claims() {
    return new JsonObject().put("mercure", new JsonObject().put("publish", new JsonArray(List.of("*"))));
  }

  /** An HS256 token whose HMAC secret is the PEM text of the public key (algorithm confusion). */
  private static String confused(String pemText) {
    return Tokens.hmac("HS256", pemText, new JsonObject().put("alg", "HS256").put("typ", "JWT"), claims());
  }

  private static void assertPublishes(HubEndpoint hub, Watcher watcher, String token) {
    watcher.sync();
    HttpResponse<String> r = Http.post(hub.hub(""), token, Http.form("topic", TOPIC, "data", "signed"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  private static void assertUnauthorized(HubEndpoint hub, Watcher watcher, String token) {
    watcher.sync();
    HttpResponse<String> r = Http.post(hub.hub(""), token, Http.form("topic", TOPIC, "data", "refused"));
    assertRefused(401, r, token);
    watcher.assertNothingDispatched();
  }

  /** Verifies that an RS256 token signed with the configured key pair publishes. */
  @Test
  void rs256TokenPublishes() {
    assertPublishes(rsaHub, rsaWatcher, Tokens.signed("RS256", rsa.getPrivate(), claims()));
  }

  /** Verifies that an HS256 token signed with the RSA PEM text as secret is refused with 401 and nothing is dispatched. */
  @Test
  void rs256HubRefusesHs256SignedWithPem() {
    assertUnauthorized(rsaHub, rsaWatcher, confused(rsaPem));
    assertUnauthorized(rsaHub, rsaWatcher, confused(rsaPem.trim()));
  }

  /** Verifies that an RS256 token signed by another key pair is refused with 401 and nothing is dispatched. */
  @Test
  void rs256HubRefusesOtherKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    assertUnauthorized(rsaHub, rsaWatcher, Tokens.signed("RS256", gen.generateKeyPair().getPrivate(), claims()));
  }

  /** Verifies that an ES256 token signed with the configured key pair publishes. */
  @Test
  void es256TokenPublishes() {
    assertPublishes(ecHub, ecWatcher, Tokens.signed("ES256", ec.getPrivate(), claims()));
  }

  /** Verifies that an HS256 token signed with the EC PEM text as secret is refused with 401 and nothing is dispatched. */
  @Test
  void es256HubRefusesHs256SignedWithPem() {
    assertUnauthorized(ecHub, ecWatcher, confused(ecPem));
    assertUnauthorized(ecHub, ecWatcher, confused(ecPem.trim()));
  }

  /** Verifies that an ES256 hub refuses an RS256 token (alg must equal the configured one) with 401 and nothing is dispatched. */
  @Test
  void es256HubRefusesRs256Token() {
    assertUnauthorized(ecHub, ecWatcher, Tokens.signed("RS256", rsa.getPrivate(), claims()));
  }
}
