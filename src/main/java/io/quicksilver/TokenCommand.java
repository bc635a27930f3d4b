package io.quicksilver;

import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.JwtSigner;
import io.quicksilver.config.Durations;
import io.quicksilver.config.HubConfig;
import io.quicksilver.http.HubHttpVerticle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code java -jar quicksilver.jar token [--publish SEL]... [--subscribe SEL]... [--ttl 1h] [--subscriber]
 * [--access-token [--pattern] [--aud URL]]}: prints a token signed with the configured HMAC key (the
 * publisher key, or the subscriber key with {@code --subscriber}), for trying the hub with curl.
 *
 * <p>Classic tokens carry the {@code mercure} claim. With {@code --access-token} the token is a draft-08
 * access token ({@code typ: at+jwt}) of the configured {@code default_issuer}, for the configured resource
 * identifier (else {@code http://localhost:<port>/.well-known/mercure}, or {@code --aud}), whose one
 * Mercure authorization detail grants the selectors as {@code exact} matchers, or as URL patterns with
 * {@code --pattern}.
 */
final class TokenCommand {

  private static final String USAGE = "usage: token [--publish SELECTOR]... [--subscribe SELECTOR]... [--ttl 1h|0] [--subscriber]"
      + " [--access-token [--pattern] [--aud URL]]";

  private TokenCommand() {
  }

  static int run(HubConfig config, String[] args) {
    List<String> publish = new ArrayList<>();
    List<String> subscribe = new ArrayList<>();
    Duration ttl = Duration.ofHours(1);
    boolean subscriberKey = false;
    boolean accessToken = false;
    boolean pattern = false;
    String audience = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--publish" -> publish.add(value(args, ++i));
        case "--subscribe" -> subscribe.add(value(args, ++i));
        case "--ttl" -> ttl = Durations.parse(value(args, ++i));
        case "--subscriber" -> subscriberKey = true;
        case "--access-token" -> accessToken = true;
        case "--pattern" -> pattern = true;
        case "--aud" -> audience = value(args, ++i);
        default -> {
          System.err.println(USAGE);
          return 2;
        }
      }
    }
    JwtKey key = subscriberKey ? config.auth().subscriberKey() : config.auth().publisherKey();
    try {
      if (!accessToken) {
        System.out.println(JwtSigner.sign(key, classicClaims(publish, subscribe, ttl)));
        return 0;
      }
      String issuer = config.protocol().defaultIssuer();
      if (issuer == null || !config.protocol().mode().draft08Enabled()) {
        System.err.println("quicksilver token: --access-token needs protocol both or draft-08 and default_issuer (QS_DEFAULT_ISSUER)");
        return 2;
      }
      if (ttl.isZero()) {
        System.err.println("quicksilver token: access tokens must expire (--ttl 0 is not allowed)");
        return 2;
      }
      String aud = audience != null ? audience : config.protocol().resourceIdentifier() != null
          ? config.protocol().resourceIdentifier() : "http://localhost:" + config.http().port() + HubHttpVerticle.HUB_PATH;
      System.out.println(JwtSigner.sign(key, "at+jwt", accessClaims(issuer, aud, publish, subscribe, pattern, ttl)));
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("quicksilver token: " + e.getMessage());
      return 2;
    }
  }

  private static JsonObject classicClaims(List<String> publish, List<String> subscribe, Duration ttl) {
    JsonObject mercure = new JsonObject();
    if (!publish.isEmpty()) {
      mercure.put("publish", new JsonArray(publish));
    }
    if (!subscribe.isEmpty()) {
      mercure.put("subscribe", new JsonArray(subscribe));
    }
    JsonObject claims = new JsonObject().put("mercure", mercure);
    if (!ttl.isZero()) {
      claims.put("exp", Instant.now().plus(ttl).getEpochSecond());
    }
    return claims;
  }

  /** The claims RFC 9068 requires, and one Mercure authorization detail per action granted. */
  private static JsonObject accessClaims(String issuer, String aud, List<String> publish, List<String> subscribe,
                                         boolean pattern, Duration ttl) {
    JsonArray details = new JsonArray();
    addDetail(details, "publish", publish, pattern);
    addDetail(details, "subscribe", subscribe, pattern);
    Instant now = Instant.now();
    return new JsonObject()
        .put("iss", issuer)
        .put("aud", aud)
        .put("sub", "urn:uuid:" + UUID.randomUUID())
        .put("client_id", issuer)
        .put("iat", now.getEpochSecond())
        .put("exp", now.plus(ttl).getEpochSecond())
        .put("jti", "urn:uuid:" + UUID.randomUUID())
        .put("authorization_details", details);
  }

  private static void addDetail(JsonArray details, String action, List<String> selectors, boolean pattern) {
    if (selectors.isEmpty()) {
      return;
    }
    JsonArray topics = new JsonArray();
    for (String s : selectors) {
      topics.add(new JsonObject().put("match", s).put("match_type", pattern ? "urlpattern" : "exact"));
    }
    details.add(new JsonObject().put("type", "https://mercure.rocks/authorization-detail")
        .put("actions", new JsonArray().add(action)).put("topics", topics));
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException("missing value after " + args[i - 1]);
    }
    return args[i];
  }
}
