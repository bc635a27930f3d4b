package io.quicksilver.url;

import com.google.re2j.Pattern;
import io.quicksilver.url.UrlPatternParser.Component;
import io.quicksilver.url.UrlPatternParser.Field;
import io.quicksilver.url.UrlPatternParser.Options;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A WHATWG URL Pattern, compiled to linear-time (RE2) regular expressions.
 *
 * <p>The pattern is a constructor string of the URL Pattern Standard ({@code https://example.com/books/:id},
 * {@code /.well-known/mercure/subscriptions/exact/:topic/:subscriber}), resolved against a base URL the way
 * {@code new URLPattern(pattern, baseURL)} resolves it; {@code ignoreCase} is never enabled, and the dictionary
 * form of the constructor ({@code URLPatternInit}) is not offered. Each component compiles to an RE2 expression,
 * so matching time is linear in the input whatever the pattern; a regexp group RE2 cannot run (backreferences,
 * lookaround) makes the pattern invalid. The caller compiles each generated expression itself, so that it can
 * measure or refuse it first: re2j bounds neither the size of a compiled program nor the time spent building it.
 *
 * <p>Two choices differ from the standard, for patterns used as topic selectors: a relative input is resolved
 * against the pattern's base URL ({@link #matches}), and a pattern that gives its own protocol keeps its path
 * as written ({@code urn:*} stays opaque rather than being joined to the base URL's path). Immutable and
 * thread-safe.
 */
public final class UrlPattern {

  private final String pattern;
  private final WhatwgUrl base;
  private final Map<Field, Component> components;

  private UrlPattern(String pattern, WhatwgUrl base, Map<Field, Component> components) {
    this.pattern = pattern;
    this.base = base;
    this.components = components;
  }

  /**
   * Compiles a pattern.
   *
   * @param pattern  the pattern string (constructor-string syntax of the URL Pattern Standard)
   * @param baseUrl  the base URL of relative patterns and relative inputs, or null (then the pattern must give its
   *                 protocol)
   * @param compiler compiles each regular expression the pattern needs (RE2 syntax, at most one per component
   *                 and one for the protocol while reading the pattern); what it throws is passed on, except
   *                 {@link com.google.re2j.PatternSyntaxException}, which makes the pattern invalid
   * @throws IllegalArgumentException when the pattern is not a well-formed URL Pattern (the message says why)
   */
  public static UrlPattern compile(String pattern, WhatwgUrl baseUrl, Function<String, Pattern> compiler) {
    Map<Field, String> init = UrlPatternParser.parseConstructorString(pattern, compiler);
    if (baseUrl == null && !init.containsKey(Field.PROTOCOL)) {
      throw UrlPatternParser.invalid("a relative pattern needs a base URL");
    }
    return new UrlPattern(pattern, baseUrl, create(init, baseUrl, compiler));
  }

  /**
   * Whether the input matches: it is parsed as a URL, relative to the pattern's base URL, and every component
   * matches. False for an input that is not a URL.
   */
  public boolean matches(String input) {
    WhatwgUrl url;
    try {
      url = WhatwgUrl.parse(input, base);
    } catch (RuntimeException e) {
      return false; // the parser does not throw on bad input; this guards the "never throws" contract
    }
    if (url == null) {
      return false;
    }
    for (Field field : Field.values()) {
      if (!components.get(field).test(value(url, field))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The standard's {@code exec} for a string input: the groups of each component, or null when the input is not
   * a URL (relative to {@code inputBase}, which may be null) or does not match.
   */
  Map<Field, Map<String, String>> exec(String input, WhatwgUrl inputBase) {
    WhatwgUrl url = WhatwgUrl.parse(input, inputBase);
    if (url == null) {
      return null;
    }
    Map<Field, Map<String, String>> result = new EnumMap<>(Field.class);
    for (Field field : Field.values()) {
      Map<String, String> groups = components.get(field).exec(value(url, field));
      if (groups == null) {
        return null;
      }
      result.put(field, groups);
    }
    return result;
  }

  /** The standard's component getters: the normalized pattern string of a component. */
  String component(Field field) {
    return components.get(field).patternString();
  }

  /** A component of a URL as the standard's {@code exec} reads it. */
  static String value(WhatwgUrl url, Field field) {
    return switch (field) {
      case PROTOCOL -> url.scheme;
      case USERNAME -> url.username;
      case PASSWORD -> url.password;
      case HOSTNAME -> url.hostname();
      case PORT -> url.port();
      case PATHNAME -> url.pathname();
      case SEARCH -> url.query == null ? "" : url.query;
      case HASH -> url.fragment == null ? "" : url.fragment;
    };
  }

  /** "create" a URL pattern from a parsed constructor string and a base URL. */
  private static Map<Field, Component> create(Map<Field, String> init, WhatwgUrl base,
      Function<String, Pattern> compiler) {
    Map<Field, String> processed = processInit(init, base);
    for (Field field : Field.values()) {
      processed.putIfAbsent(field, "*");
    }
    String protocol = processed.get(Field.PROTOCOL);
    if (WhatwgUrl.isSpecial(protocol) && processed.get(Field.PORT).equals(String.valueOf(WhatwgUrl.defaultPort(protocol)))) {
      processed.put(Field.PORT, "");
    }
    Map<Field, Component> components = new EnumMap<>(Field.class);
    components.put(Field.PROTOCOL, compile(processed, Field.PROTOCOL, UrlPatternParser::protocolEncoding, Options.DEFAULT, compiler));
    components.put(Field.USERNAME, compile(processed, Field.USERNAME, WhatwgUrl::canonicalUserinfo, Options.DEFAULT, compiler));
    components.put(Field.PASSWORD, compile(processed, Field.PASSWORD, WhatwgUrl::canonicalUserinfo, Options.DEFAULT, compiler));
    String hostname = processed.get(Field.HOSTNAME);
    components.put(Field.HOSTNAME, compile(processed, Field.HOSTNAME, UrlPatternParser.isIpv6Hostname(hostname)
        ? WhatwgUrl::canonicalIpv6Hostname : WhatwgUrl::canonicalHostname, Options.HOSTNAME, compiler));
    components.put(Field.PORT, compile(processed, Field.PORT, WhatwgUrl::canonicalPort, Options.DEFAULT, compiler));
    if (UrlPatternParser.matchesSpecialScheme(components.get(Field.PROTOCOL))) {
      components.put(Field.PATHNAME, compile(processed, Field.PATHNAME, WhatwgUrl::canonicalPathname, Options.PATHNAME, compiler));
    } else {
      components.put(Field.PATHNAME, compile(processed, Field.PATHNAME, WhatwgUrl::canonicalOpaquePathname,
          Options.DEFAULT, compiler));
    }
    components.put(Field.SEARCH, compile(processed, Field.SEARCH, WhatwgUrl::canonicalSearch, Options.DEFAULT, compiler));
    components.put(Field.HASH, compile(processed, Field.HASH, WhatwgUrl::canonicalHash, Options.DEFAULT, compiler));
    return components;
  }

  private static Component compile(Map<Field, String> processed, Field field, UnaryOperator<String> encoding,
      Options options, Function<String, Pattern> compiler) {
    return UrlPatternParser.compileComponent(processed.get(field), encoding, options, compiler);
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
    if (base != null) {
      inherit(result, base, protocol, hostname, port, pathname, search, hash);
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
      if (base != null && !protocol && base.opaquePath == null && !isAbsolutePathname(value)) {
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

  /** The components a pattern inherits from its base URL: those before the first one it gives. */
  private static void inherit(Map<Field, String> result, WhatwgUrl base, boolean protocol, boolean hostname,
      boolean port, boolean pathname, boolean search, boolean hash) {
    if (!protocol) {
      result.put(Field.PROTOCOL, UrlPatternParser.escapePatternString(base.scheme));
    }
    if (!hostname) {
      result.put(Field.HOSTNAME, UrlPatternParser.escapePatternString(base.hostname()));
    }
    if (!port) {
      result.put(Field.PORT, base.port());
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
