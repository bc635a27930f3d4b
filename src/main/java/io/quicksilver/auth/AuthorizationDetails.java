package io.quicksilver.auth;

import io.quicksilver.mercure.MatcherValues;
import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.TopicSelector;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code authorization_details} claim of a draft-08 access token into grants (draft-08 "Authorization
 * Details", "Topic Matcher List").
 *
 * <p>Only entries whose {@code type} is {@value #TYPE} are Mercure details; other objects are ignored. One Mercure
 * detail that fails to parse or validate, or that exceeds a limit, rejects the whole token: partial acceptance would
 * silently alter the token's authorization. Unknown actions grant nothing; unknown matcher types reject the token.
 */
final class AuthorizationDetails {

  /** The Mercure authorization detail type, compared byte by byte. */
  static final String TYPE = "https://mercure.rocks/authorization-detail";
  /** Most Mercure details in one token. */
  static final int MAX_DETAILS = 100;
  /** Most topic matchers in one detail. */
  static final int MAX_TOPICS = 100;

  static final String PUBLISH = "publish";
  static final String SUBSCRIBE = "subscribe";

  /**
   * What the details grant.
   *
   * @param publish          the topic matchers of every detail granting {@code publish}
   * @param subscribe        the topic matchers of every detail granting {@code subscribe}
   * @param subscribeDetails the details granting {@code subscribe}, in token order, with their payloads
   */
  record Grants(List<TopicSelector> publish, List<TopicSelector> subscribe, List<MercureClaims.SubscribeDetail> subscribeDetails) {
  }

  private AuthorizationDetails() {
  }

  /**
   * Reads the claim's value; absent (null) grants nothing.
   *
   * @param resourceIdentifier the hub's URL, against which relative URL patterns are resolved
   * @throws ProtocolException {@code invalid_token} when a Mercure detail is invalid or a limit is exceeded
   */
  static Grants read(Object claim, String resourceIdentifier) {
    List<TopicSelector> publish = new ArrayList<>();
    List<TopicSelector> subscribe = new ArrayList<>();
    List<MercureClaims.SubscribeDetail> subscribeDetails = new ArrayList<>();
    if (claim == null) {
      return new Grants(publish, subscribe, subscribeDetails);
    }
    if (!(claim instanceof JsonArray details)) {
      throw invalid("token claim \"authorization_details\" is not an array");
    }
    int mercureDetails = 0;
    for (Object item : details) {
      if (!(item instanceof JsonObject detail)) {
        throw invalid("an authorization detail is not an object");
      }
      if (!TYPE.equals(detail.getValue("type"))) {
        continue; // another API's detail: not ours to read
      }
      if (++mercureDetails > MAX_DETAILS) {
        throw invalid("more than " + MAX_DETAILS + " Mercure authorization details");
      }
      Set<String> actions = actions(detail.getValue("actions"));
      List<TopicSelector> topics = topics(detail.getValue("topics"), resourceIdentifier);
      Object payload = payload(detail);
      if (actions.contains(PUBLISH)) {
        publish.addAll(topics);
      }
      if (actions.contains(SUBSCRIBE)) {
        subscribe.addAll(topics);
        subscribeDetails.add(new MercureClaims.SubscribeDetail(topics, payload));
      }
    }
    return new Grants(publish, subscribe, subscribeDetails);
  }

  private static Set<String> actions(Object value) {
    if (!(value instanceof JsonArray actions) || actions.isEmpty()) {
      throw invalid("a Mercure authorization detail needs a non-empty \"actions\" array");
    }
    if (actions.size() > TokenFormat.MAX_CLAIM_ARRAY) {
      throw invalid("a Mercure authorization detail has more than " + TokenFormat.MAX_CLAIM_ARRAY + " actions");
    }
    Set<String> out = new HashSet<>();
    for (Object action : actions) {
      if (!(action instanceof String name)) {
        throw invalid("a Mercure authorization detail has a non-string action");
      }
      out.add(name); // unrecognised actions are kept but grant nothing
    }
    return out;
  }

  private static List<TopicSelector> topics(Object value, String resourceIdentifier) {
    if (!(value instanceof JsonArray topics) || topics.isEmpty()) {
      throw invalid("a Mercure authorization detail needs a non-empty \"topics\" array");
    }
    if (topics.size() > MAX_TOPICS) {
      throw invalid("a Mercure authorization detail has more than " + MAX_TOPICS + " topic matchers");
    }
    List<TopicSelector> out = new ArrayList<>(topics.size());
    for (Object item : topics) {
      if (!(item instanceof JsonObject matcher)) {
        throw invalid("a topic matcher is not an object");
      }
      out.add(matcher(matcher, resourceIdentifier));
    }
    return out;
  }

  private static TopicSelector matcher(JsonObject matcher, String resourceIdentifier) {
    if (!(matcher.getValue("match") instanceof String match)) {
      throw invalid("a topic matcher needs a string \"match\"");
    }
    try {
      MatcherValues.checkMatcher(match, "a topic matcher's \"match\"");
    } catch (ProtocolException e) {
      throw invalid("a topic matcher's \"match\" has a control or format character, or is longer than "
          + MatcherValues.MAX_MATCHER_BYTES + " bytes");
    }
    Object type = matcher.containsKey("match_type") ? matcher.getValue("match_type") : TopicSelector.Kind.EXACT.matchType();
    if (TopicSelector.Kind.EXACT.matchType().equals(type)) {
      return TopicSelector.exact(match);
    }
    if (!TopicSelector.Kind.URL_PATTERN.matchType().equals(type)) {
      throw invalid("a topic matcher has an unsupported \"match_type\"");
    }
    try {
      return TopicSelector.urlPattern(match, resourceIdentifier);
    } catch (ProtocolException e) {
      throw invalid("a urlpattern topic matcher is not a well-formed URL Pattern");
    }
  }

  private static Object payload(JsonObject detail) {
    if (!detail.containsKey("payload")) {
      return null;
    }
    if (!(detail.getValue("payload") instanceof JsonObject payload)) {
      throw invalid("a Mercure authorization detail's \"payload\" is not an object");
    }
    return payload;
  }

  private static ProtocolException invalid(String reason) {
    return ProtocolException.invalidToken(reason);
  }
}
