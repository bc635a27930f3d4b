package io.quicksilver.mercure;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What a subscription or a grant selects topics with, of one of three kinds.
 *
 * <ul>
 *   <li>{@link Kind#CLASSIC} (classic protocol, "Topic Selectors"): {@code *}, an exact string, or a URI
 *       Template. {@code *} matches everything; an identical string matches (so a URI Template also matches
 *       itself); a valid URI Template matches every expansion. An invalid template behaves as a plain string.</li>
 *   <li>{@link Kind#EXACT} (draft-08 {@code exact}): byte-for-byte equality; {@code *} matches everything.</li>
 *   <li>{@link Kind#URL_PATTERN} (draft-08 {@code urlpattern}): a {@link UrlPattern}; {@code *} matches everything.</li>
 * </ul>
 */
public final class TopicSelector {

  /** How the selector's value is read. */
  public enum Kind {
    CLASSIC(null), EXACT("exact"), URL_PATTERN("urlpattern");

    private final String matchType;

    Kind(String matchType) {
      this.matchType = matchType;
    }

    /** The draft-08 matcher type name ({@code exact}, {@code urlpattern}), null for classic selectors. */
    public String matchType() {
      return matchType;
    }
  }

  /** The selector that matches every topic. */
  public static final String ANY = "*";

  private static final int COMPILED_CACHE_LIMIT = 4096;
  private static final ConcurrentHashMap<String, TopicSelector> COMPILED = new ConcurrentHashMap<>();
  private static final TopicSelector ALL = new TopicSelector(Kind.CLASSIC, ANY, null, null);

  private final Kind kind;
  private final String selector;
  private final UriTemplate template;
  private final UrlPattern pattern;

  private TopicSelector(Kind kind, String selector, UriTemplate template, UrlPattern pattern) {
    this.kind = kind;
    this.selector = selector;
    this.template = template;
    this.pattern = pattern;
  }

  /**
   * The compiled selector for a string. Compiled selectors are shared through a bounded cache, so
   * many subscribers on the same template compile it once.
   */
  public static TopicSelector of(String selector) {
    if (ANY.equals(selector)) {
      return ALL;
    }
    TopicSelector cached = COMPILED.get(selector);
    if (cached != null) {
      return cached;
    }
    TopicSelector compiled = new TopicSelector(Kind.CLASSIC, selector, UriTemplate.compile(selector), null);
    if (COMPILED.size() >= COMPILED_CACHE_LIMIT) {
      COMPILED.clear();
    }
    COMPILED.put(selector, compiled);
    return compiled;
  }

  /** A draft-08 {@code exact} matcher ({@code *} still matches everything). */
  public static TopicSelector exact(String topic) {
    return ANY.equals(topic) ? ALL : new TopicSelector(Kind.EXACT, topic, null, null);
  }

  /**
   * A draft-08 {@code urlpattern} matcher ({@code *} still matches everything).
   *
   * @param baseUrl the hub's URL, against which relative patterns and topics are resolved
   * @throws ProtocolException 400 when the pattern is not a well-formed URL Pattern
   */
  public static TopicSelector urlPattern(String pattern, String baseUrl) {
    return ANY.equals(pattern) ? ALL : new TopicSelector(Kind.URL_PATTERN, pattern, null, UrlPattern.compile(pattern, baseUrl));
  }

  /** How the value is read; {@code *} is always {@link Kind#CLASSIC}. */
  public Kind kind() {
    return kind;
  }

  /** The selector as given. */
  public String value() {
    return selector;
  }

  /** {@code *}. */
  public boolean isAny() {
    return this == ALL;
  }

  /** A valid URI Template or a URL Pattern (matched by pattern, not only by equality). */
  public boolean isTemplate() {
    return template != null || pattern != null;
  }

  /** Whether the topic matches this selector. */
  public boolean matches(String topic) {
    if (this == ALL) {
      return true;
    }
    if (pattern != null) {
      return pattern.matches(topic);
    }
    return selector.equals(topic) || template != null && template.matches(topic);
  }

  @Override
  public boolean equals(Object o) {
    // URL patterns compiled against different hub URLs differ (compiled patterns are shared, so this is identity)
    return o instanceof TopicSelector other && other.kind == kind && other.selector.equals(selector) && other.pattern == pattern;
  }

  @Override
  public int hashCode() {
    return 31 * kind.hashCode() + selector.hashCode();
  }

  @Override
  public String toString() {
    return selector;
  }
}
