package io.quicksilver.subscriptions;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * One active subscription (classic protocol, "Active Subscriptions"): a topic selector of a subscriber.
 *
 * @param topic      the topic selector used for this subscription
 * @param subscriber the subscriber's id ({@code urn:uuid:…}), the same for all its selectors
 * @param payload    the subscriber token's {@code mercure.payload}, or null
 * @param active     true while the stream is open
 */
public record Subscription(String topic, String subscriber, Object payload, boolean active) {

  /** The path prefix of subscription topics and of the subscriptions API. */
  public static final String PREFIX = "/.well-known/mercure/subscriptions";

  /** {@code /.well-known/mercure/subscriptions/{topic}/{subscriber}}, expanded as RFC 6570 simple strings. */
  public String id() {
    return PREFIX + "/" + encode(topic) + "/" + encode(subscriber);
  }

  /** The same subscription, ended. */
  public Subscription ended() {
    return new Subscription(topic, subscriber, payload, false);
  }

  /** The JSON-LD document of the subscription (without {@code @context}). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id())
        .put("type", "Subscription")
        .put("topic", topic)
        .put("subscriber", subscriber)
        .put("active", active);
    if (payload != null) {
      json.put("payload", payload);
    }
    return json;
  }

  static Subscription fromJson(JsonObject json) {
    return new Subscription(json.getString("topic"), json.getString("subscriber"), json.getValue("payload"), json.getBoolean("active", true));
  }

  /**
   * RFC 6570 simple string expansion: every octet of the UTF-8 form except the unreserved characters
   * ({@code A-Z a-z 0-9 - . _ ~}) is percent-encoded, so {@code :}, {@code /}, <code>{</code> and
   * <code>}</code> never split the path.
   */
  public static String encode(String value) {
    StringBuilder sb = new StringBuilder(value.length() * 2);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }
}
