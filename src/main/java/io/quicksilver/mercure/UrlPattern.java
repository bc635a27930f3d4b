package io.quicksilver.mercure;

import io.quicksilver.mercure.UrlPatternParser.Field;
import io.quicksilver.mercure.UrlPatternParser.Options;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A WHATWG URL Pattern (draft-08 "URL Pattern" matcher type), compiled to linear-time regular expressions.
 *
 * <p>The pattern is a constructor string of the URL Pattern Standard ({@code https://example.com/books/:id},
 * {@code /.well-known/mercure/subscriptions/exact/:topic/:subscriber}), resolved against the hub's URL the way
 * {@code new URLPattern(pattern, hubUrl)} resolves it; {@code ignoreCase} is never enabled. Each component
 * compiles to an RE2 expression, so matching time is linear in the topic whatever the pattern (draft-08
 * "URL-Pattern Denial of Service"); a regexp group RE2 cannot run (backreferences, lookaround) makes the
 * pattern invalid.
 *
 * <p>Relative patterns, and relative topics, are resolved against the hub's URL (its resource identifier).
 * A topic is parsed with the WHATWG URL parser's canonicalization, so hosts compare case-insensitively and
 * default ports are dropped; a topic that cannot be parsed as a URL reference does not match. Immutable and
 * thread-safe.
 */
public final class UrlPattern {

  /** Longest accepted pattern, in UTF-8 bytes (draft-08 "Subscription": limit on each matcher's length). */
  public static final int MAX_PATTERN_BYTES = MatcherValues.MAX_MATCHER_BYTES;

  /** What reading a pattern costs per character (tokens, the constructor string, canonicalization), in instructions. */
  private static final long PARSE_PER_CHAR = 2;
  /** What reading any pattern costs (the hub URL, eight components canonicalized), in instructions. */
  private static final long PARSE_BASE = 100;
  /** Bytes the shared cache of compiled patterns may hold (estimated: {@link #BYTES_PER_INSTRUCTION} per instruction). */
  private static final long CACHE_BYTES = 16L << 20;
  /** Estimated heap of one compiled program instruction (re2j's {@code Inst} and its rune array). */
  static final long BYTES_PER_INSTRUCTION = 64;
  private static final BoundedCache<Key, UrlPattern> COMPILED = new BoundedCache<>(CACHE_BYTES);

  private record Key(String pattern, String baseUrl) {
  }

  private final String pattern;
  private final WhatwgUrl base;
  private final Map<Field, Predicate<String>> components;
  private final long instructions;

  private UrlPattern(String pattern, WhatwgUrl base, Map<Field, Predicate<String>> components, long instructions) {
    this.pattern = pattern;
    this.base = base;
    this.components = components;
    this.instructions = instructions;
  }

  /**
   * Compiles a pattern within a budget of its own ({@link CompileBudget#forMatcher()}).
   *
   * @see #compile(String, String, CompileBudget)
   */
  public static UrlPattern compile(String pattern, String baseUrl) {
    return compile(pattern, baseUrl, CompileBudget.forMatcher());
  }

  /**
   * Compiles a pattern. Compiled patterns are shared through a cache bounded in bytes, keyed by pattern and
   * base URL; a cached pattern is charged its recorded size.
   *
   * @param pattern the pattern string (constructor-string syntax of the URL Pattern standard)
   * @param baseUrl the hub's URL, used for relative patterns and relative topics
   * @param budget  charged with the size of the compiled components, each measured before it is compiled
   * @throws ProtocolException 400 when the pattern is not a well-formed URL Pattern, is longer than
   *                           {@link #MAX_PATTERN_BYTES}, or holds control or format characters; 400
   *                           {@code invalid_request} when it does not fit the budget
   * @throws IllegalArgumentException when the base URL is not an absolute URL
   */
  public static UrlPattern compile(String pattern, String baseUrl, CompileBudget budget) {
    Key key = new Key(pattern, baseUrl);
    UrlPattern cached = COMPILED.get(key);
    if (cached != null) {
      budget.matcher().charge(cached.instructions, "URL pattern");
      return cached;
    }
    MatcherValues.checkMatcher(pattern, "URL pattern");
    WhatwgUrl base = WhatwgUrl.parse(baseUrl, null);
    if (base == null) {
      throw new IllegalArgumentException("not an absolute URL: " + baseUrl);
    }
    CompileBudget matcher = budget.matcher();
    matcher.charge(PARSE_BASE + PARSE_PER_CHAR * pattern.length(), "URL pattern");
    Map<Field, Predicate<String>> components = create(UrlPatternParser.parseConstructorString(pattern, matcher), base, matcher);
    long instructions = matcher.spent();
    UrlPattern compiled = new UrlPattern(pattern, base, components, instructions);
    COMPILED.put(key, compiled, instructions * BYTES_PER_INSTRUCTION + 4L * (pattern.length() + baseUrl.length()) + 512);
    return compiled;
  }

  /** The size of the compiled components, in instructions. */
  public long instructions() {
    return instructions;
  }

  /** Whether the topic matches (false for a topic that is not a URL reference). */
  public boolean matches(String topic) {
    WhatwgUrl url;
    try {
      url = WhatwgUrl.parse(topic, base);
    } catch (RuntimeException e) {
      return false; // the parser does not throw on bad input; this guards the "never throws" contract
    }
    if (url == null) {
      return false;
    }
    return test(Field.PROTOCOL, url.scheme)
        && test(Field.USERNAME, url.username)
        && test(Field.PASSWORD, url.password)
        && test(Field.HOSTNAME, url.host == null ? "" : url.host)
        && test(Field.PORT, url.port < 0 ? "" : String.valueOf(url.port))
        && test(Field.PATHNAME, url.pathname())
        && test(Field.SEARCH, url.query == null ? "" : url.query)
        && test(Field.HASH, url.fragment == null ? "" : url.fragment);
  }

  private boolean test(Field field, String value) {
    return components.get(field).test(value);
  }

  /** "create" a URL pattern from a parsed constructor string and a base URL. */
  private static Map<Field, Predicate<String>> create(Map<Field, String> init, WhatwgUrl base, CompileBudget budget) {
    Map<Field, String> processed = processInit(init, base);
    for (Field field : Field.values()) {
      processed.putIfAbsent(field, "*");
    }
    String protocol = processed.get(Field.PROTOCOL);
    if (WhatwgUrl.isSpecial(protocol) && processed.get(Field.PORT).equals(String.valueOf(WhatwgUrl.defaultPort(protocol)))) {
      processed.put(Field.PORT, "");
    }
    Map<Field, Predicate<String>> components = new EnumMap<>(Field.class);
    components.put(Field.PROTOCOL, compile(processed, Field.PROTOCOL, UrlPatternParser::protocolEncoding, Options.DEFAULT, budget));
    components.put(Field.USERNAME, compile(processed, Field.USERNAME, WhatwgUrl::canonicalUserinfo, Options.DEFAULT, budget));
    components.put(Field.PASSWORD, compile(processed, Field.PASSWORD, WhatwgUrl::canonicalUserinfo, Options.DEFAULT, budget));
    String hostname = processed.get(Field.HOSTNAME);
    components.put(Field.HOSTNAME, compile(processed, Field.HOSTNAME, UrlPatternParser.isIpv6Hostname(hostname)
        ? WhatwgUrl::canonicalIpv6Hostname : WhatwgUrl::canonicalHostname, Options.HOSTNAME, budget));
    components.put(Field.PORT, compile(processed, Field.PORT, WhatwgUrl::canonicalPort, Options.DEFAULT, budget));
    if (UrlPatternParser.matchesSpecialScheme(components.get(Field.PROTOCOL))) {
      components.put(Field.PATHNAME, compile(processed, Field.PATHNAME, WhatwgUrl::canonicalPathname, Options.PATHNAME, budget));
    } else {
      components.put(Field.PATHNAME, compile(processed, Field.PATHNAME, WhatwgUrl::canonicalOpaquePathname,
          Options.DEFAULT, budget));
    }
    components.put(Field.SEARCH, compile(processed, Field.SEARCH, WhatwgUrl::canonicalSearch, Options.DEFAULT, budget));
    components.put(Field.HASH, compile(processed, Field.HASH, WhatwgUrl::canonicalHash, Options.DEFAULT, budget));
    return components;
  }

  private static Predicate<String> compile(Map<Field, String> processed, Field field, UnaryOperator<String> encoding,
      Options options, CompileBudget budget) {
    return UrlPatternParser.compileComponent(processed.get(field), encoding, options, budget);
  }

  /**
   * "process a URLPatternInit" of type {@code pattern}: components the constructor string leaves out are
   * inherited from the base URL, up to the first one it gives (username and password never are).
   */
  private static Map<Field, String> processInit(Map<Field, String> init, WhatwgUrl base) {
    Map<Field, String> result = new EnumMap<>(Field.class);
    boolean protocol = init.containsKey(Field.PROTOCOL);
    boolean hostname = protocol || init.containsKey(Field.HOSTNAME);
    boolean port = hostname || init.containsKey(Field.PORT);
    boolean pathname = port || init.containsKey(Field.PATHNAME);
    boolean search = pathname || init.containsKey(Field.SEARCH);
    boolean hash = search || init.containsKey(Field.HASH);
    if (!protocol) {
      result.put(Field.PROTOCOL, UrlPatternParser.escapePatternString(base.scheme));
    }
    if (!hostname) {
      result.put(Field.HOSTNAME, UrlPatternParser.escapePatternString(base.host == null ? "" : base.host));
    }
    if (!port) {
      result.put(Field.PORT, base.port < 0 ? "" : String.valueOf(base.port));
    }
    if (!pathname) {
      result.put(Field.PATHNAME, UrlPatternParser.escapePatternString(base.pathname()));
    }
    if (!search) {
      result.put(Field.SEARCH, UrlPatternParser.escapePatternString(base.query == null ? "" : base.query));
    }
    if (!hash) {
      result.put(Field.HASH, UrlPatternParser.escapePatternString(base.fragment == null ? "" : base.fragment));
    }
    if (protocol) {
      String value = init.get(Field.PROTOCOL);
      result.put(Field.PROTOCOL, value.endsWith(":") ? value.substring(0, value.length() - 1) : value);
    }
    for (Field field : new Field[] {Field.USERNAME, Field.PASSWORD, Field.HOSTNAME, Field.PORT}) {
      if (init.containsKey(field)) {
        result.put(field, init.get(field));
      }
    }
    if (init.containsKey(Field.PATHNAME)) {
      String value = init.get(Field.PATHNAME);
      // The standard resolves the pathname against the base even when the pattern gives its own protocol;
      // draft-08 uses the hub's URL for relative patterns only, so "urn:*" keeps its opaque path.
      if (!protocol && base.opaquePath == null && !isAbsolutePathname(value)) {
        String basePath = UrlPatternParser.escapePatternString(base.pathname());
        int slash = basePath.lastIndexOf('/');
        if (slash >= 0) {
          value = basePath.substring(0, slash + 1) + value;
        }
      }
      result.put(Field.PATHNAME, value);
    }
    if (init.containsKey(Field.SEARCH)) {
      String value = init.get(Field.SEARCH);
      result.put(Field.SEARCH, value.startsWith("?") ? value.substring(1) : value);
    }
    if (init.containsKey(Field.HASH)) {
      String value = init.get(Field.HASH);
      result.put(Field.HASH, value.startsWith("#") ? value.substring(1) : value);
    }
    return result;
  }

  /** "is an absolute pathname" for a pattern. */
  private static boolean isAbsolutePathname(String input) {
    if (input.isEmpty()) {
      return false;
    }
    if (input.charAt(0) == '/') {
      return true;
    }
    return input.length() >= 2 && (input.charAt(0) == '\\' || input.charAt(0) == '{') && input.charAt(1) == '/';
  }

  @Override
  public String toString() {
    return pattern;
  }
}
