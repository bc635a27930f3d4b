package io.quicksilver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.ProtocolMode;
import io.quicksilver.support.Await;
import io.quicksilver.support.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Tokens verified before ({@link VerifiedTokens}, through the {@link Authorizer}): a token presented again is not
 * verified again, and every refusal stays a refusal — a refused token is never remembered, expiry is honoured, a key
 * rotation verifies again, the request's own checks run every time, and the memory is bounded.
 */
class VerifiedTokensTest {

  private static final String OTHER_SECRET = "another-test-secret-that-is-long-enough-for-hs256";
  private static final JsonObject PUBLISH_ALL = new JsonObject().put("mercure", new JsonObject().put("publish", new JsonArray().add("*")));

  /** HS256 keys whose provider counts verifications, and can be replaced (a rotation). */
  private static final class CountingKeys implements VerificationKeys {
    final AtomicInteger verifications = new AtomicInteger();
    volatile JWTAuth provider;

    CountingKeys(String secret) {
      use(secret);
    }

    void use(String secret) {
      JWTAuth real = new StaticKeys(Verifiers.vertx(), JwtKey.parse("HS256", secret), Duration.ZERO).provider();
      provider = new JWTAuth() {
        @Override
        public Future<User> authenticate(Credentials credentials) {
          verifications.incrementAndGet();
          return real.authenticate(credentials);
        }

        @Override
        public String generateToken(JsonObject claims, JWTOptions options) {
          throw new UnsupportedOperationException();
        }

        @Override
        public String generateToken(JsonObject claims) {
          throw new UnsupportedOperationException();
        }
      };
    }

    @Override
    public Set<String> algorithms() {
      return Set.of("HS256");
    }

    @Override
    public JWTAuth provider() {
      return provider;
    }

    @Override
    public Future<Boolean> refresh() {
      return Future.succeededFuture(false);
    }

    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public String describe() {
      return "counting HS256 keys";
    }
  }

  private final CountingKeys keys = new CountingKeys(Tokens.SECRET);
  private final Authorizer publishers = new Authorizer(Role.PUBLISHER, new TokenVerifier(keys),
      new AccessTokens(List.of(), Verifiers::verifier), ProtocolMode.CLASSIC, List.of("https://app.example.com"));

  private MercureClaims publish(String token) {
    return Verifiers.claims(publishers, Verifiers.credentials("Bearer " + token, null, null, null, null), false, null);
  }

  private int refusal(RequestCredentials credentials) {
    return assertThrows(ProtocolException.class, () -> Verifiers.claims(publishers, credentials, false, null)).status();
  }

  /** Verifies that a token presented again is not verified again, and grants the same. */
  @Test
  void verifiedOnce() {
    String token = Tokens.hs256(Tokens.SECRET, PUBLISH_ALL);
    MercureClaims first = publish(token);
    MercureClaims again = publish(token);
    publish(token);
    assertEquals(1, keys.verifications.get());
    assertEquals(first, again);
    assertTrue(again.mayPublishAll(List.of("https://example.com/a")));
  }

  /** Verifies that a refused token is verified (and refused) every time: a bad signature, then claims of the wrong shape. */
  @Test
  void refusalsAreNotRemembered() {
    String good = Tokens.hs256(Tokens.SECRET, PUBLISH_ALL);
    String forged = good.substring(0, good.length() - 2) + (good.endsWith("A") ? "BA" : "AA");
    for (int i = 0; i < 3; i++) {
      assertEquals(401, refusal(Verifiers.credentials("Bearer " + forged, null, null, null, null)));
    }
    String malformed = Tokens.hs256(Tokens.SECRET, new JsonObject().put("mercure", "publish everything"));
    for (int i = 0; i < 3; i++) {
      assertEquals(401, refusal(Verifiers.credentials("Bearer " + malformed, null, null, null, null)));
    }
    assertEquals(6, keys.verifications.get());
  }

  /** Verifies that a remembered token is refused once its exp has passed (the verifier here grants no leeway). */
  @Test
  void expiryHonoured() {
    long exp = Instant.now().getEpochSecond() + 2;
    String token = Tokens.hs256(Tokens.SECRET, PUBLISH_ALL.copy().put("exp", exp));
    publish(token);
    publish(token);
    assertEquals(1, keys.verifications.get());
    Await.until(System::currentTimeMillis, now -> now > (exp + 1) * 1000, Duration.ofSeconds(10), now -> "the clock did not pass exp");
    assertEquals(401, refusal(Verifiers.credentials("Bearer " + token, null, null, null, null)));
  }

  /** Verifies that a token remembered under keys that were replaced since (a JWK Set read) is verified again, and refused by the new keys. */
  @Test
  void rotationVerifiesAgain() {
    String token = Tokens.hs256(Tokens.SECRET, PUBLISH_ALL);
    publish(token);
    keys.use(OTHER_SECRET);
    assertEquals(401, refusal(Verifiers.credentials("Bearer " + token, null, null, null, null)));
    String underNewKey = Tokens.hs256(OTHER_SECRET, PUBLISH_ALL);
    publish(underNewKey);
    publish(underNewKey);
    assertEquals(3, keys.verifications.get());
  }

  /** Verifies that a remembered token is still refused from a cookie of a refused origin (the request's checks run every time). */
  @Test
  void requestChecksRunEveryTime() {
    String token = Tokens.hs256(Tokens.SECRET, PUBLISH_ALL);
    Verifiers.claims(publishers, Verifiers.credentials(null, null, token, "https://app.example.com", null), false, null);
    assertEquals(403, refusal(Verifiers.credentials(null, null, token, "https://evil.example", null)));
    assertEquals(403, refusal(Verifiers.credentials(null, null, token, null, null)));
    assertEquals(1, keys.verifications.get());
  }

  /** Verifies that a draft-08 access token remembered for one resource identifier is validated again for another (its audience). */
  @Test
  void accessTokenBoundToItsResource() {
    String hub = "https://hub.example.com/.well-known/mercure";
    Authorizer draft08 = new Authorizer(Role.PUBLISHER, null,
        new AccessTokens(List.of(TrustedIssuer.of("https://a.example.com", Verifiers.key("ES256"), null)), Verifiers::verifier),
        ProtocolMode.DRAFT_08, List.of());
    String token = Tokens.access("ES256", new JsonObject().put("iss", "https://a.example.com").put("aud", hub)
        .put("exp", Instant.now().getEpochSecond() + 60)
        .put("authorization_details", new JsonArray().add(new JsonObject().put("type", "https://mercure.rocks/authorization-detail")
            .put("actions", new JsonArray().add("publish")).put("topics", new JsonArray().add(new JsonObject().put("match", "*"))))));
    RequestCredentials bearer = Verifiers.credentials("Bearer " + token, null, null, null, null);
    assertTrue(Verifiers.claims(draft08, bearer, true, hub).draft08());
    assertTrue(Verifiers.claims(draft08, bearer, true, hub).draft08());
    ProtocolException other = assertThrows(ProtocolException.class,
        () -> Verifiers.claims(draft08, bearer, true, "https://other.example.com/.well-known/mercure"));
    assertEquals(401, other.status());
  }

  /** Verifies that the entries stay within their bound, and that very long tokens are not held. */
  @Test
  void memoryBounded() {
    VerifiedTokens cache = new VerifiedTokens(64 * 1024, System::currentTimeMillis);
    JWTAuth provider = keys.provider();
    MercureClaims claims = new MercureClaims(List.of(), List.of(), null, null);
    for (int i = 0; i < 1000; i++) {
      cache.put("token-" + i, null, claims, keys, provider);
      assertTrue(cache.bytes() <= 64 * 1024, "over the bound: " + cache.bytes());
    }
    assertTrue(cache.size() < 1000 && cache.size() > 0, "held " + cache.size());
    String huge = "x".repeat(VerifiedTokens.MAX_TOKEN_CHARS + 1);
    cache.put(huge, null, claims, keys, provider);
    assertEquals(null, cache.get(huge, null));
  }
}
