package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.TopicSelector;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mercure} claim of a verified token (classic protocol, "Authorization").
 *
 * @param publish   the {@code mercure.publish} selectors, empty when absent (no right to publish)
 * @param subscribe the {@code mercure.subscribe} selectors, empty when absent (public updates only)
 * @param payload   the {@code mercure.payload} value, or null
 * @param expiresAt the token's {@code exp}, or null
 */
public record MercureClaims(List<TopicSelector> publish, List<TopicSelector> subscribe, Object payload, Instant expiresAt) {

  /** The claims of an anonymous subscriber: public updates only. */
  public static final MercureClaims ANONYMOUS = new MercureClaims(List.of(), List.of(), null, null);

  public MercureClaims {
    publish = List.copyOf(publish);
    subscribe = List.copyOf(subscribe);
  }

  /**
   * Reads the claim from a verified token. A missing {@code mercure} claim grants nothing; a claim of
   * the wrong shape (not an object, selectors that are not arrays of strings) makes the token invalid.
   */
  public static MercureClaims of(VerifiedToken token) {
    Object mercure = token.claims().getValue("mercure");
    if (mercure == null) {
      return new MercureClaims(List.of(), List.of(), null, token.expiresAt());
    }
    if (!(mercure instanceof JsonObject claim)) {
      throw ProtocolException.unauthorized("token claim \"mercure\" is not an object");
    }
    return new MercureClaims(selectors(claim, "publish"), selectors(claim, "subscribe"),
        claim.getValue("payload"), token.expiresAt());
  }

  private static List<TopicSelector> selectors(JsonObject claim, String key) {
    Object value = claim.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw ProtocolException.unauthorized("token claim \"mercure." + key + "\" is not an array");
    }
    List<TopicSelector> out = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw ProtocolException.unauthorized("token claim \"mercure." + key + "\" holds a non-string");
      }
      out.add(TopicSelector.of(s));
    }
    return out;
  }

  /** Whether every topic matches at least one publish selector (false when none are granted). */
  public boolean mayPublishAll(List<String> topics) {
    if (publish.isEmpty()) {
      return false;
    }
    for (String topic : topics) {
      if (!anyMatches(publish, topic)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a private update with these topics may be received: one topic matching one subscribe selector. */
  public boolean mayReceive(List<String> topics) {
    for (String topic : topics) {
      if (anyMatches(subscribe, topic)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyMatches(List<TopicSelector> selectors, String topic) {
    for (TopicSelector s : selectors) {
      if (s.matches(topic)) {
        return true;
      }
    }
    return false;
  }
}
