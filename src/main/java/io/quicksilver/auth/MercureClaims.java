package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.TopicSelector;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a verified token grants: the {@code mercure} claim of a classic token (classic protocol, "Authorization"),
 * or the Mercure authorization details of a draft-08 access token (draft-08 "Authorization Details").
 *
 * @param publish          the selectors publishing is granted on, empty when none (no right to publish)
 * @param subscribe        the selectors receiving private updates is granted on, empty when none (public updates only)
 * @param payload          classic: the {@code mercure.payload} value, or null; draft-08: always null, see
 *                         {@link #payloadFor(String)}
 * @param expiresAt        the token's {@code exp}, or null (never null for a draft-08 token)
 * @param subject          the token's {@code sub} when it is a string, else null; draft-08 derives subscription
 *                         identifiers from it
 * @param draft08          whether the draft-08 rules produced these claims (false: classic rules, or anonymous)
 * @param subscribeDetails draft-08: the Mercure authorization details granting {@code subscribe}, in token order,
 *                         which carry the subscription payloads; empty for classic claims
 */
public record MercureClaims(List<TopicSelector> publish, List<TopicSelector> subscribe, Object payload, Instant expiresAt,
                            String subject, boolean draft08, List<SubscribeDetail> subscribeDetails) {

  /** The claims of an anonymous subscriber: public updates only. */
  public static final MercureClaims ANONYMOUS = new MercureClaims(List.of(), List.of(), null, null);

  /**
   * A draft-08 Mercure authorization detail whose {@code actions} include {@code subscribe}.
   *
   * @param topics  its topic matchers
   * @param payload its {@code payload} object, or null when it has none
   */
  public record SubscribeDetail(List<TopicSelector> topics, Object payload) {
    public SubscribeDetail {
      topics = List.copyOf(topics);
    }

    /** Whether one of the topic matchers matches the string (a topic, or a subscription's matcher read as one). */
    public boolean matches(String topic) {
      return anyMatches(topics, topic);
    }
  }

  public MercureClaims {
    publish = List.copyOf(publish);
    subscribe = List.copyOf(subscribe);
    subscribeDetails = List.copyOf(subscribeDetails);
  }

  /** Classic claims without a subject. */
  public MercureClaims(List<TopicSelector> publish, List<TopicSelector> subscribe, Object payload, Instant expiresAt) {
    this(publish, subscribe, payload, expiresAt, null, false, List.of());
  }

  /**
   * The payload to attach to a subscription, given the subscription's own matcher string.
   *
   * <p>Classic claims: {@link #payload()}, whatever the matcher. Draft-08 claims ("Payloads"): the payload of the
   * first {@code subscribe} detail one of whose topic matchers matches the matcher string read as a topic; null
   * when that first matching detail has no payload, or when none matches. A later detail's payload is never used
   * in place of an earlier matching detail's absent one: the first matching detail wins.
   */
  public Object payloadFor(String subscriptionMatcher) {
    if (!draft08) {
      return payload;
    }
    for (SubscribeDetail detail : subscribeDetails) {
      if (detail.matches(subscriptionMatcher)) {
        return detail.payload();
      }
    }
    return null;
  }

  /** The claim's deprecated namespaced name, which older tokens carry and the reference hub still reads. */
  static final String NAMESPACED_CLAIM = "https://mercure.rocks/";

  /**
   * Reads the claim from a verified token: {@code mercure}, else the deprecated {@code https://mercure.rocks/}.
   * A missing claim grants nothing; a claim of the wrong shape (not an object, selectors that are not arrays of
   * strings, arrays of more than 1000 selectors) makes the token invalid.
   */
  public static MercureClaims of(VerifiedToken token) {
    Object mercure = token.claims().containsKey("mercure") ? token.claims().getValue("mercure")
        : token.claims().getValue(NAMESPACED_CLAIM);
    String subject = token.claims().getValue("sub") instanceof String sub ? sub : null;
    if (mercure == null) {
      return new MercureClaims(List.of(), List.of(), null, token.expiresAt(), subject, false, List.of());
    }
    if (!(mercure instanceof JsonObject claim)) {
      throw ProtocolException.unauthorized("token claim \"mercure\" is not an object");
    }
    return new MercureClaims(selectors(claim, "publish"), selectors(claim, "subscribe"),
        claim.getValue("payload"), token.expiresAt(), subject, false, List.of());
  }

  private static List<TopicSelector> selectors(JsonObject claim, String key) {
    Object value = claim.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw ProtocolException.unauthorized("token claim \"mercure." + key + "\" is not an array");
    }
    if (array.size() > TokenFormat.MAX_CLAIM_ARRAY) {
      throw ProtocolException.unauthorized("token claim \"mercure." + key + "\" has more than " + TokenFormat.MAX_CLAIM_ARRAY + " entries");
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
