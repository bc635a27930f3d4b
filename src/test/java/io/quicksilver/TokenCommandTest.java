package io.quicksilver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.auth.AccessTokens;
import io.quicksilver.auth.JwtVerifier;
import io.quicksilver.auth.MercureClaims;
import io.quicksilver.auth.Role;
import io.quicksilver.config.ConfigLoader;
import io.quicksilver.config.HubConfig;
import io.quicksilver.support.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code token} command mints tokens the hub accepts, in both generations. */
class TokenCommandTest {

  private static final String RESOURCE = "https://hub.example/.well-known/mercure";

  private static HubConfig config() {
    return ConfigLoader.load(TestHub.baseEnv(Map.of("QS_DEFAULT_ISSUER", "https://app.example", "QS_RESOURCE_IDENTIFIER", RESOURCE)), null);
  }

  private static String mint(HubConfig config, String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 1];
      all[0] = "token";
      System.arraycopy(args, 0, all, 1, args.length);
      assertEquals(0, TokenCommand.run(config, all));
    } finally {
      System.setOut(out);
    }
    return buffer.toString(StandardCharsets.UTF_8).trim();
  }

  /** Verifies that a classic token carries the mercure claim and verifies with the publisher key. */
  @Test
  void classicToken() {
    HubConfig config = config();
    String token = mint(config, "--publish", "https://example.com/{id}");
    MercureClaims claims = MercureClaims.of(new JwtVerifier(config.auth().publisherKey(), Clock.systemUTC()).verify(token));
    assertTrue(claims.mayPublishAll(List.of("https://example.com/1")));
    assertFalse(claims.draft08());
  }

  /** Verifies that an access token passes draft-08 validation for the resource identifier and grants its URL pattern. */
  @Test
  void accessToken() {
    HubConfig config = config();
    String token = mint(config, "--access-token", "--subscriber", "--pattern", "--subscribe", "https://example.com/users/:id");
    MercureClaims claims = new AccessTokens(config.protocol().issuers(), Clock.systemUTC()).validate(token, Role.SUBSCRIBER, RESOURCE);
    assertTrue(claims.draft08());
    assertTrue(claims.mayReceive(List.of("https://example.com/users/42")));
    assertFalse(claims.mayReceive(List.of("https://example.com/books/42")));
  }

  /**
   * Verifies that without a default issuer (only further trusted issuers, whose keys the hub does not hold)
   * the command refuses rather than sign with the classic key a token under another issuer's name.
   */
  @Test
  void accessTokenNeedsTheDefaultIssuer() {
    String pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQ1HRvvOUh4vx0HyGpdxQAkDK+NyM5dxb"
        + "pTTZvtPWW5VUW2a4+rz4obbU9ko5W+Nxd9qOw6yXIQP7G0xVbYxLGg==\n-----END PUBLIC KEY-----\n";
    String issuers = new JsonArray().add(new JsonObject().put("issuer", "https://auth.example")
        .put("subscriber_key", pem).put("subscriber_alg", "ES256")).encode();
    HubConfig config = ConfigLoader.load(TestHub.baseEnv(Map.of("QS_TRUSTED_ISSUERS", issuers)), null);
    assertEquals(1, config.protocol().issuers().size());
    assertEquals(2, TokenCommand.run(config, new String[] {"token", "--access-token", "--publish", "*"}));
  }
}
