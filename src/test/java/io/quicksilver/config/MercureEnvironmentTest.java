package io.quicksilver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.mercure.ProtocolMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;



/** The reference hub's variables and Caddyfile directives, read as this hub's keys. */
class MercureEnvironmentTest {

  private static final String SECRET = "!ChangeThisMercureHubJWTSecretKey!";

  private static Map<String, String> env(String... nameValues) {
    Map<String, String> env = new HashMap<>();
    env.put("MERCURE_PUBLISHER_JWT_KEY", SECRET);
    env.put("MERCURE_SUBSCRIBER_JWT_KEY", SECRET);
    for (int i = 0; i < nameValues.length; i += 2) {
      env.put(nameValues[i], nameValues[i + 1]);
    }
    return env;
  }

  private static HubConfig load(String... nameValues) {
    return ConfigLoader.load(env(nameValues), null);
  }

  private static String refusal(String... nameValues) {
    return assertThrows(ConfigException.class, () -> load(nameValues)).getMessage();
  }

  /** Verifies that the environment of Symfony's Docker recipe (classic) is read: CORS origins from the directives. */
  @Test
  void symfonyRecipe() {
    HubConfig c = load("MERCURE_EXTRA_DIRECTIVES", "cors_origins http://127.0.0.1:8000\n", "SERVER_NAME", ":80");
    assertEquals(List.of("http://127.0.0.1:8000"), c.auth().corsOrigins());
    assertEquals(80, c.http().port());
    assertEquals("127.0.0.1", c.http().host(), "the address to bind stays QS_HTTP_HOST");
  }

  /** Verifies that the 1.0 recipe (trusted issuer, playground) maps to default_issuer and the development settings. */
  @Test
  void symfonyRecipeForMercure1() {
    HubConfig c = load("MERCURE_TRUSTED_ISSUERS", "https://localhost",
        "MERCURE_EXTRA_DIRECTIVES", "playground\ncors_origins http://127.0.0.1:8000\n");
    assertEquals("https://localhost", c.protocol().defaultIssuer());
    assertTrue(c.ui());
    assertTrue(c.auth().anonymous());
    assertTrue(c.subscriptions());
    assertEquals(List.of("http://127.0.0.1:8000"), c.auth().corsOrigins(), "explicit origins win over the playground's *");
    assertEquals(List.of("*"), c.auth().publishOrigins());
  }

  /** Verifies that every directive with an equivalent sets its key. */
  @Test
  void directivesWithEquivalents() {
    HubConfig c = load("MERCURE_EXTRA_DIRECTIVES", """
        # comments and blank lines are fine

        anonymous
        subscriptions
        ui
        cors_origins https://a.example https://b.example
        publish_origins https://a.example
        heartbeat 15s
        write_timeout 1m30s
        dispatch_timeout 2.5s
        cookie_name "myCookie"
        max_request_body_size 512KB
        resource_identifier https://hub.example/.well-known/mercure
        protocol_version_compatibility 8
        transport bolt {
          path /data/mercure.db
          size 500
          cleanup_frequency 0.3
        }
        name main
        topic_selector_cache 10000 256
        subscriber_list_cache_size 100000
        """);
    assertTrue(c.auth().anonymous());
    assertTrue(c.subscriptions());
    assertTrue(c.ui());
    assertEquals(List.of("https://a.example", "https://b.example"), c.auth().corsOrigins());
    assertEquals(List.of("https://a.example"), c.auth().publishOrigins());
    assertEquals(Duration.ofSeconds(15), c.stream().heartbeat());
    assertEquals(Duration.ofSeconds(90), c.stream().writeTimeout());
    assertEquals(Duration.ofMillis(2500), c.stream().dispatchTimeout());
    assertEquals("myCookie", c.auth().cookieName());
    assertEquals(512_000, c.http().maxBody());
    assertEquals("https://hub.example/.well-known/mercure", c.protocol().resourceIdentifier());
    assertEquals(ProtocolMode.BOTH, c.protocol().mode());
    assertEquals(500, c.history().size());
  }

  /** Verifies that publisher_jwt and subscriber_jwt set the keys, with Caddy's {env.*} and {$*} references. */
  @Test
  void keysFromDirectives() {
    Map<String, String> env = new HashMap<>();
    env.put("PUB", "publisher-secret-from-another-variable-123");
    env.put("MERCURE_EXTRA_DIRECTIVES", "publisher_jwt {env.PUB} HS384\nsubscriber_jwt \"{$SUB:subscriber secret with spaces 0123456789}\"");
    HubConfig c = ConfigLoader.load(env, null);
    assertEquals("HS384", c.auth().publisherKey().algorithm());
    assertEquals("publisher-secret-from-another-variable-123", c.auth().publisherKey().material());
    assertEquals("subscriber secret with spaces 0123456789", c.auth().subscriberKey().material());
  }

  /** Verifies that an issuer block becomes a trusted issuer with its own keys. */
  @Test
  void issuerBlock() {
    HubConfig c = load("MERCURE_EXTRA_DIRECTIVES", """
        issuer https://auth.example {
          authorization_server
          publisher {
            jwt issuer-publisher-secret-0123456789abcdef HS512
          }
          subscriber {
            jwt {env.MERCURE_SUBSCRIBER_JWT_KEY}
          }
        }
        """);
    assertEquals(1, c.protocol().issuers().size());
    assertEquals("https://auth.example", c.protocol().issuers().get(0).issuer());
    assertEquals("HS512", c.protocol().issuers().get(0).publisher().key().algorithm());
    assertEquals("HS256", c.protocol().issuers().get(0).subscriber().key().algorithm());
  }

  /** Verifies that JWK Set URLs map: per role, and an issuer's set when both roles name the same one. */
  @Test
  void jwkSetsFromDirectives() {
    Map<String, String> env = new HashMap<>();
    env.put("QS_DEMO", "false");
    env.put("MERCURE_EXTRA_DIRECTIVES", """
        publisher_jwks_url https://idp.example/publisher.json
        subscriber_jwks_url file:///etc/keys/subscriber.json
        issuer https://auth.example {
          publisher {
            jwks_uri https://auth.example/jwks RS256 ES256
          }
          subscriber {
            jwks_uri https://auth.example/jwks RS256 ES256
          }
        }
        """);
    HubConfig c = ConfigLoader.load(env, null);
    assertEquals("https://idp.example/publisher.json", c.auth().publisher().jwks().url());
    assertEquals("file:///etc/keys/subscriber.json", c.auth().subscriber().jwks().url());
    assertEquals("https://auth.example/jwks", c.protocol().issuers().get(0).publisher().jwks().url());
    assertEquals(List.of("RS256", "ES256"), c.protocol().issuers().get(0).publisher().jwks().algorithms());
  }

  /** Verifies that a QS_* variable wins over a directive for the same key. */
  @Test
  void environmentWins() {
    HubConfig c = load("MERCURE_EXTRA_DIRECTIVES", "anonymous\nheartbeat 10s", "QS_ANONYMOUS", "false");
    assertFalse(c.auth().anonymous());
    assertEquals(Duration.ofSeconds(10), c.stream().heartbeat());
  }

  /** Verifies that SERVER_NAME's port is the port the hub listens on, in each form of site address. */
  @ParameterizedTest
  @CsvSource({":80, 80", "http://localhost:8081, 8081", "example.com:9000, 9000", "http://example.com, 80",
      "localhost, 8080", "https://example.com, 8080", "'[::1]:8082', 8082", "':8083, http://other:8083', 8083"})
  void serverName(String value, int port) {
    assertEquals(port, load("SERVER_NAME", value).http().port());
  }

  /** Verifies that GLOBAL_OPTIONS maps debug and grace_period, and accepts TLS and admin options. */
  @Test
  void globalOptions() {
    HubConfig c = load("GLOBAL_OPTIONS", "debug\nauto_https off\nadmin off\ngrace_period 30s\norder mercure after encode\nemail me@example.com");
    assertEquals("DEBUG", c.logLevel());
    assertEquals(Duration.ofSeconds(30), c.ops().drainWindow());
  }

  /** Verifies that an unknown directive stops start-up with its name and line. */
  @Test
  void unknownDirective() {
    String message = refusal("MERCURE_EXTRA_DIRECTIVES", "anonymous\ncors_origin http://localhost:8000");
    assertTrue(message.contains("MERCURE_EXTRA_DIRECTIVES line 2"), message);
    assertTrue(message.contains("unknown Mercure directive \"cors_origin\""), message);
  }

  /** Verifies that directives and options without an equivalent stop start-up saying what to do instead, without quoting keys. */
  @ParameterizedTest
  @ValueSource(strings = {
      "MERCURE_EXTRA_DIRECTIVES=publisher_jwks_url https://idp.example/jwks.json|are both set",
      "MERCURE_EXTRA_DIRECTIVES=public_urls https://a.example|proxy",
      "MERCURE_EXTRA_DIRECTIVES=transport redis {\n address localhost:6379\n}|QS_REDIS_URL",
      "MERCURE_EXTRA_DIRECTIVES=transport_url postgres://db/mercure|QS_REDIS_URL",
      "MERCURE_EXTRA_DIRECTIVES=issuer https://a.example {\n publisher {\n jwks_uri https://a.example/jwks\n }\n}|both roles",
      "MERCURE_EXTRA_DIRECTIVES=anonymous yes|takes no argument",
      "MERCURE_EXTRA_DIRECTIVES=heartbeat soon|not a duration",
      "MERCURE_EXTRA_DIRECTIVES=cors_origins|one or more",
      "MERCURE_EXTRA_DIRECTIVES=protocol_version_compatibility 6|7 or 8",
      "MERCURE_EXTRA_DIRECTIVES=max_request_body_size 0|QS_MAX_BODY",
      "MERCURE_EXTRA_DIRECTIVES=transport bolt {\n size 5|not closed",
      "MERCURE_EXTRA_DIRECTIVES=subscriber_jwt \"unterminated-secret|unterminated",
      "GLOBAL_OPTIONS=servers {\n}\nfrobnicate|\"frobnicate\"",
      "CADDY_SERVER_EXTRA_DIRECTIVES=reverse_proxy /api localhost:8000|CADDY_SERVER_EXTRA_DIRECTIVES",
      "CADDY_EXTRA_CONFIG=(snippet) {\n}|CADDY_EXTRA_CONFIG",
      "MERCURE_TRUSTED_ISSUERS=https://a.example https://b.example|QS_TRUSTED_ISSUERS",
      "SERVER_NAME=:80 :8080|one port",
      "SERVER_NAME=ftp://example.com|site address"})
  void refusals(String spec) {
    String[] nameValue = spec.substring(0, spec.indexOf('|')).split("=", 2);
    String expected = spec.substring(spec.indexOf('|') + 1);
    String message = refusal(nameValue[0], nameValue[1].replace("\"unterminated-secret", "\"" + SECRET));
    assertTrue(message.contains(expected), message);
    assertFalse(message.contains(SECRET), "no key material in: " + message);
  }

  /** Verifies Go durations and go-humanize sizes as the reference hub reads them. */
  @Test
  void units() {
    assertEquals("90s", MercureEnvironment.duration("1m30s", "x"));
    assertEquals("1500ms", MercureEnvironment.duration("1.5s", "x"));
    assertEquals("24h", MercureEnvironment.duration("1d", "x"));
    assertEquals("1ms", MercureEnvironment.duration("100us", "x"));
    assertEquals("0", MercureEnvironment.duration("0s", "x"));
    assertEquals(1_048_576, MercureEnvironment.bytes("1MiB", "x"));
    assertEquals(512_000, MercureEnvironment.bytes("512KB", "x"));
    assertEquals(1_500_000, MercureEnvironment.bytes("1.5 MB", "x"));
    assertEquals(42, MercureEnvironment.bytes("42", "x"));
  }
}
