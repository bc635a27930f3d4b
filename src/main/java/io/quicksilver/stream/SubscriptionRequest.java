package io.quicksilver.stream;

import io.quicksilver.mercure.CompileBudget;
import io.quicksilver.mercure.FormData;
import io.quicksilver.mercure.MatcherValues;
import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.TopicSelector;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a subscription request asks for, read from its parameters (query, plus the form body of a
 * {@code QUERY} request) in either protocol generation.
 *
 * <ul>
 *   <li>{@code topic}: a classic selector (classic "Subscription").</li>
 *   <li>{@code match} / {@code match_exact}: a draft-08 {@code exact} matcher; {@code match_urlpattern}: a
 *       draft-08 URL pattern. Any other name in the {@code match} namespace (case-insensitive prefix) is a
 *       400 (draft-08 "Subscription").</li>
 * </ul>
 * Both generations may be mixed in one request. The cursor is the {@code Last-Event-ID} header, else
 * {@code last_event_id}, else the classic {@code lastEventID}. All the selectors of one request share one
 * {@link CompileBudget}: templates and URL patterns are measured before they are compiled, and a request
 * over the budget is refused (400; {@code invalid_request} for draft-08 matchers).
 *
 * @param matchers what to match, de-duplicated by type and value, in request order
 * @param draft08  whether the request used draft-08 parameters (its errors then carry RFC 6750 challenges)
 * @param cursor   the last event id to resume after, or null
 */
public record SubscriptionRequest(List<Matcher> matchers, boolean draft08, String cursor) {

  /** Most draft-08 matchers in one request. */
  public static final int MAX_MATCHERS = 100;

  /**
   * One requested selector.
   *
   * @param matchType the draft-08 matcher type ({@code exact}, {@code urlpattern}), null for a classic {@code topic}
   * @param value     the parameter's value
   * @param selector  the compiled selector
   */
  public record Matcher(String matchType, String value, TopicSelector selector) {

    /** A classic {@code topic} selector. */
    public static Matcher classic(String topic) {
      return new Matcher(null, topic, TopicSelector.of(topic));
    }
  }

  private static final Map<String, String> MATCH_PARAMETERS = Map.of(
      "match", "exact", "match_exact", "exact", "match_urlpattern", "urlpattern");

  public SubscriptionRequest {
    matchers = List.copyOf(matchers);
  }

  /** The compiled selectors of these matchers. */
  public static List<TopicSelector> selectors(List<Matcher> matchers) {
    List<TopicSelector> out = new ArrayList<>(matchers.size());
    for (Matcher m : matchers) {
      out.add(m.selector());
    }
    return out;
  }

  /**
   * Reads a request's parameters.
   *
   * @param params        the query's fields (then the body's, for {@code QUERY})
   * @param header        the {@code Last-Event-ID} header, or null
   * @param classic       whether classic {@code topic} selectors are accepted
   * @param draft08       whether draft-08 matchers are accepted
   * @param baseUrl       the hub's URL, the base of relative URL patterns
   * @param maxTopics     most classic {@code topic} parameters
   * @throws ProtocolException 400 for a missing, unknown, invalid or excessive selector, or selectors too complex to compile
   */
  public static SubscriptionRequest parse(FormData params, String header, boolean classic, boolean draft08,
                                          String baseUrl, int maxTopics) {
    Set<List<String>> seen = new LinkedHashSet<>();
    List<Matcher> matchers = new ArrayList<>();
    CompileBudget budget = CompileBudget.forRequest();
    int topics = 0;
    int matches = 0;
    for (Map.Entry<String, String> field : params.fields()) {
      String name = field.getKey();
      String value = field.getValue();
      if (classic && name.equals("topic")) {
        if (++topics > maxTopics) {
          throw ProtocolException.badRequest("too many \"topic\" parameters (at most " + maxTopics + ")");
        }
        if (seen.add(List.of("", value))) {
          matchers.add(new Matcher(null, value, classicSelector(value, budget)));
        }
      } else if (draft08 && name.regionMatches(true, 0, "match", 0, 5)) {
        String type = MATCH_PARAMETERS.get(name);
        if (type == null) {
          throw ProtocolException.badRequest("unknown matcher parameter \"" + name + "\" (use match, match_exact or match_urlpattern)");
        }
        if (++matches > MAX_MATCHERS) {
          throw ProtocolException.badRequest("too many matcher parameters (at most " + MAX_MATCHERS + ")");
        }
        MatcherValues.checkMatcher(value, "\"" + name + "\"");
        if (seen.add(List.of(type, value))) {
          matchers.add(new Matcher(type, value, type.equals("exact")
              ? TopicSelector.exact(value) : TopicSelector.urlPattern(value, baseUrl, budget)));
        }
      }
    }
    if (matchers.isEmpty()) {
      throw ProtocolException.badRequest(missing(classic, draft08));
    }
    String cursor = header;
    if (cursor == null && draft08) {
      cursor = params.first("last_event_id");
    }
    if (cursor == null && classic) {
      cursor = params.first("lastEventID");
    }
    return new SubscriptionRequest(matchers, matches > 0 || !classic, cursor);
  }

  /** A classic selector within the request's budget; over it, a classic 400 (without a draft-08 challenge). */
  private static TopicSelector classicSelector(String value, CompileBudget budget) {
    try {
      return TopicSelector.of(value, budget);
    } catch (ProtocolException e) {
      throw ProtocolException.badRequest(e.reason());
    }
  }

  private static String missing(boolean classic, boolean draft08) {
    if (classic && draft08) {
      return "missing \"topic\" or \"match\" parameter";
    }
    return classic ? "missing \"topic\" parameter" : "missing \"match\" parameter";
  }
}
