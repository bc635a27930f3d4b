package io.quicksilver;

import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.JwtSigner;
import io.quicksilver.config.Durations;
import io.quicksilver.config.HubConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar quicksilver.jar token [--publish SEL]... [--subscribe SEL]... [--ttl 1h] [--subscriber]}:
 * prints a token signed with the configured HMAC key (the publisher key, or the subscriber key with
 * {@code --subscriber}), for trying the hub with curl.
 */
final class TokenCommand {

  private TokenCommand() {
  }

  static int run(HubConfig config, String[] args) {
    List<String> publish = new ArrayList<>();
    List<String> subscribe = new ArrayList<>();
    Duration ttl = Duration.ofHours(1);
    boolean subscriberKey = false;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--publish" -> publish.add(value(args, ++i));
        case "--subscribe" -> subscribe.add(value(args, ++i));
        case "--ttl" -> ttl = Durations.parse(value(args, ++i));
        case "--subscriber" -> subscriberKey = true;
        default -> {
          System.err.println("usage: token [--publish SELECTOR]... [--subscribe SELECTOR]... [--ttl 1h|0] [--subscriber]");
          return 2;
        }
      }
    }
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
    JwtKey key = subscriberKey ? config.auth().subscriberKey() : config.auth().publisherKey();
    try {
      System.out.println(JwtSigner.sign(key, claims));
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("quicksilver token: " + e.getMessage());
      return 2;
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException("missing value after " + args[i - 1]);
    }
    return args[i];
  }
}
