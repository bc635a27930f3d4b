package io.quicksilver.mercure;

import io.quicksilver.url.UrlPattern;
import io.quicksilver.url.WhatwgUrl;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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

  /** Bytes each shared cache of compiled selectors (classic selectors, URL patterns) may hold (estimated). */
  private static final long CACHE_BYTES = 16L << 20;
  private static final BoundedCache<String, TopicSelector> COMPILED = new BoundedCache<>(CACHE_BYTES);
  private static final BoundedCache<PatternKey, TopicSelector> COMPILED_PATTERNS = new BoundedCache<>(CACHE_BYTES);
  private static final TopicSelector ALL = new TopicSelector(Kind.CLASSIC, ANY, null, null, null, 0);
  /** What reading a URL pattern costs per character (tokens, the constructor string, canonicalization), in instructions. */
  private static final long PATTERN_PARSE_PER_CHAR = 2;
  /** What reading any URL pattern costs (the hub URL, eight components canonicalized), in instructions. */
  private static final long PATTERN_PARSE_BASE = 100;

  private record PatternKey(String pattern, String baseUrl) {
  }

  private final Kind kind;
  private final String selector;
  private final UriTemplate template;
  private final UrlPattern pattern;
  /** The base URL a URL pattern was compiled against; null for other kinds. */
  private final String baseUrl;
  private final long patternInstructions;

  private TopicSelector(Kind kind, String selector, UriTemplate template, UrlPattern pattern, String baseUrl,
      long patternInstructions) {
    this.kind = kind;
    this.selector = selector;
    this.template = template;
    this.pattern = pattern;
    this.baseUrl = baseUrl;
    this.patternInstructions = patternInstructions;
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
    TopicSelector compiled = new TopicSelector(Kind.CLASSIC, selector, UriTemplate.compile(selector, matcher), null, null, 0);
    COMPILED.put(selector, compiled, compiled.instructions() * CompileBudget.BYTES_PER_INSTRUCTION + 4L * selector.length() + 256);
    return compiled;
  }

  /** A draft-08 {@code exact} matcher ({@code *} still matches everything). */
  public static TopicSelector exact(String topic) {
    return ANY.equals(topic) ? ALL : new TopicSelector(Kind.EXACT, topic, null, null, null, 0);
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
   * A draft-08 {@code urlpattern} matcher ({@code *} still matches everything): a {@link UrlPattern} whose every
   * regular expression is measured and charged to the budget before it is compiled, its reading too. Compiled
   * patterns are shared through a cache bounded in bytes, keyed by pattern and base URL; a cached pattern is
   * charged its recorded size.
   *
   * @param baseUrl the hub's URL, against which relative patterns and topics are resolved
   * @param budget  charged with the size of the compiled pattern
   * @throws ProtocolException 400 when the pattern is not a well-formed URL Pattern, is longer than
   *                           {@link MatcherValues#MAX_MATCHER_BYTES} or holds control or format characters; 400
   *                           {@code invalid_request} when it does not fit the budget
   * @throws IllegalArgumentException when the base URL is not an absolute URL
   */
  public static TopicSelector urlPattern(String pattern, String baseUrl, CompileBudget budget) {
    if (ANY.equals(pattern)) {
      return ALL;
    }
    PatternKey key = new PatternKey(pattern, baseUrl);
    CompileBudget matcher = budget.matcher();
    TopicSelector cached = COMPILED_PATTERNS.get(key);
    if (cached != null) {
      matcher.charge(cached.patternInstructions, "URL pattern");
      return cached;
    }
    MatcherValues.checkMatcher(pattern, "URL pattern");
    WhatwgUrl base = WhatwgUrl.parse(baseUrl);
    if (base == null) {
      throw new IllegalArgumentException("not an absolute URL: " + baseUrl);
    }
    matcher.charge(PATTERN_PARSE_BASE + PATTERN_PARSE_PER_CHAR * pattern.length(), "URL pattern");
    UrlPattern compiled;
    try {
      compiled = UrlPattern.compile(pattern, base, regex -> matcher.compile(regex, "URL pattern"));
    } catch (IllegalArgumentException e) {
      throw ProtocolException.badRequest(e.getMessage());
    }
    long instructions = matcher.spent();
    TopicSelector selector = new TopicSelector(Kind.URL_PATTERN, pattern, null, compiled, baseUrl, instructions);
    COMPILED_PATTERNS.put(key, selector, instructions * CompileBudget.BYTES_PER_INSTRUCTION
        + 4L * (pattern.length() + baseUrl.length()) + 512);
    return selector;
  }

  /** The size of the compiled program in instructions (0 for {@code *} and exact selectors). */
  public long instructions() {
    return template != null ? template.instructions() : patternInstructions;
  }

  /** The selector as given. */
  public String value() {
    return selector;
  }

  /** {@code *}. */
  public boolean isAny() {
    return this == ALL;
  }

  /** Whether this is a draft-08 URL pattern (which a topic spelled like its pattern text need not match). */
  public boolean isUrlPattern() {
    return kind == Kind.URL_PATTERN;
  }

  /** A valid URI Template or a URL Pattern (matched by pattern, not only by equality). */
  public boolean isTemplate() {
    return template != null || pattern != null;
  }

  /**
   * The topics a list of selectors matches, when each of them matches one topic only (an exact string): what a
   * per-topic index can look up. Null when one of them matches by pattern ({@code *}, a URI template, a URL
   * pattern), which only matching each topic can tell.
   */
  public static Set<String> exactTopics(List<TopicSelector> selectors) {
    Set<String> topics = new HashSet<>();
    for (TopicSelector selector : selectors) {
      if (selector.isAny() || selector.isTemplate()) {
        return null;
      }
      topics.add(selector.value());
    }
    return topics;
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
    // URL patterns compiled against different hub URLs differ
    return o instanceof TopicSelector other && other.kind == kind && other.selector.equals(selector)
        && Objects.equals(other.baseUrl, baseUrl);
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
