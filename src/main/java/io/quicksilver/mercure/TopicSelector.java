package io.quicksilver.mercure;

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

  /** Bytes the shared cache of compiled classic selectors may hold (estimated). */
  private static final long CACHE_BYTES = 16L << 20;
  private static final BoundedCache<String, TopicSelector> COMPILED = new BoundedCache<>(CACHE_BYTES);
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

  /** The compiled selector for a string, within a budget of its own ({@link CompileBudget#forMatcher()}). */
  public static TopicSelector of(String selector) {
    return of(selector, CompileBudget.forMatcher());
  }

  /**
   * The compiled selector for a string. Compiled selectors are shared through a cache bounded in bytes, so
   * many subscribers on the same template compile it once; a cached template is still charged its size.
   *
   * @throws ProtocolException 400 {@code invalid_request} when a URI template does not fit the budget
   */
  public static TopicSelector of(String selector, CompileBudget budget) {
    if (ANY.equals(selector)) {
      return ALL;
    }
    CompileBudget matcher = budget.matcher();
    TopicSelector cached = COMPILED.get(selector);
    if (cached != null) {
      matcher.charge(cached.instructions(), "URI template");
      return cached;
    }
    TopicSelector compiled = new TopicSelector(Kind.CLASSIC, selector, UriTemplate.compile(selector, matcher), null);
    COMPILED.put(selector, compiled, compiled.instructions() * UrlPattern.BYTES_PER_INSTRUCTION + 4L * selector.length() + 256);
    return compiled;
  }

  /** A draft-08 {@code exact} matcher ({@code *} still matches everything). */
  public static TopicSelector exact(String topic) {
    return ANY.equals(topic) ? ALL : new TopicSelector(Kind.EXACT, topic, null, null);
  }

  /**
   * A draft-08 {@code urlpattern} matcher ({@code *} still matches everything), within a budget of its own.
   *
   * @param baseUrl the hub's URL, against which relative patterns and topics are resolved
   * @throws ProtocolException 400 when the pattern is not a well-formed URL Pattern or is too complex
   */
  public static TopicSelector urlPattern(String pattern, String baseUrl) {
    return urlPattern(pattern, baseUrl, CompileBudget.forMatcher());
  }

  /**
   * A draft-08 {@code urlpattern} matcher ({@code *} still matches everything).
   *
   * @param baseUrl the hub's URL, against which relative patterns and topics are resolved
   * @param budget  charged with the size of the compiled pattern
   * @throws ProtocolException 400 when the pattern is not a well-formed URL Pattern; 400 {@code invalid_request}
   *                           when it does not fit the budget
   */
  public static TopicSelector urlPattern(String pattern, String baseUrl, CompileBudget budget) {
    return ANY.equals(pattern) ? ALL : new TopicSelector(Kind.URL_PATTERN, pattern, null, UrlPattern.compile(pattern, baseUrl, budget));
  }

  /** The size of the compiled program in instructions (0 for {@code *} and exact selectors). */
  public long instructions() {
    return template != null ? template.instructions() : pattern != null ? pattern.instructions() : 0;
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
