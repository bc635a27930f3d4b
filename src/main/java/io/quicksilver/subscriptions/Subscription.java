package io.quicksilver.subscriptions;

import io.quicksilver.mercure.PercentEncoding;
import io.quicksilver.mercure.TopicSelector;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One active subscription ("Active Subscriptions"), of either protocol generation: a classic topic
 * selector of a subscriber, or a draft-08 topic matcher (with its matcher type) of a subscriber.
 *
 * @param topic      the classic topic selector, or the draft-08 matcher ({@code match}) used for this subscription
 * @param subscriber the subscriber's id ({@code urn:uuid:…}), the same for all its selectors
 * @param payload    the subscriber token's payload, or null
 * @param active     true while the stream is open
 * @param matchType  the draft-08 matcher type in its canonical case ({@code exact}, {@code urlpattern}), null for
 *                   a classic subscription; recorded apart from the selector because {@code *} has no kind of its own
 */
public record Subscription(String topic, String subscriber, Object payload, boolean active, String matchType) {

  /** The path prefix of subscription topics and of the subscriptions API. */
  public static final String PREFIX = "/.well-known/mercure/subscriptions";

  public Subscription {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(subscriber, "subscriber");
    if (matchType != null && !isMatchType(matchType)) {
      throw new IllegalArgumentException("unknown matcher type: " + matchType);
    }
  }

  /** An active classic subscription: {@code topic} is the selector as the subscriber gave it. */
  public static Subscription classic(String topic, String subscriber, Object payload) {
    return new Subscription(topic, subscriber, payload, true, null);
  }

  /**
   * An active draft-08 subscription.
   *
   * @param matchType the request's matcher type ({@code exact} or {@code urlpattern}), also for {@code *}
   * @param match     the matcher as the subscriber gave it
   * @throws IllegalArgumentException for another matcher type
   */
  public static Subscription draft08(String matchType, String match, String subscriber, Object payload) {
    return new Subscription(match, subscriber, payload, true, Objects.requireNonNull(matchType, "matchType"));
  }

  /** Whether {@code name} is a draft-08 matcher type this hub supports, in its canonical case. */
  public static boolean isMatchType(String name) {
    for (TopicSelector.Kind kind : TopicSelector.Kind.values()) {
      if (name.equals(kind.matchType())) {
        return true;
      }
    }
    return false;
  }

  /** Whether this subscription was made with a draft-08 matcher. */
  public boolean isDraft08() {
    return matchType != null;
  }

  /**
   * The subscription's id, also the topic of its events: {@code /.well-known/mercure/subscriptions/{topic}/{subscriber}}
   * (classic) or {@code /.well-known/mercure/subscriptions/{match_type}/{match}/{subscriber}} (draft-08), every
   * variable expanded once as an RFC 6570 simple string.
   */
  public String id() {
    return (isDraft08() ? PREFIX + "/" + expand(matchType) : PREFIX) + "/" + expand(topic) + "/" + expand(subscriber);
  }

  /** The same subscription, ended. */
  public Subscription ended() {
    return new Subscription(topic, subscriber, payload, false, matchType);
  }

  /**
   * The subscription's document: for a classic subscription the JSON-LD document (without {@code @context}),
   * for a draft-08 one the plain JSON document of draft-08 "Subscription Events".
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id());
    if (isDraft08()) {
      json.put("type", "subscription").put("match_type", matchType).put("match", topic);
    } else {
      json.put("type", "Subscription").put("topic", topic);
    }
    json.put("subscriber", subscriber).put("active", active);
    if (payload != null) {
      json.put("payload", payload);
    }
    return json;
  }

  /** Reads {@link #toJson()} back (the form subscriptions travel in between nodes). */
  static Subscription fromJson(JsonObject json) {
    String matchType = json.getString("match_type");
    String topic = json.getString(matchType == null ? "topic" : "match");
    return new Subscription(topic, json.getString("subscriber"), json.getValue("payload"), json.getBoolean("active", true), matchType);
  }

  /** RFC 6570 simple string expansion: a {@code %} already in the value is itself encoded (once). */
  private static String expand(String value) {
    return PercentEncoding.encode(value, PercentEncoding.SIMPLE_EXPANSION);
  }
}
