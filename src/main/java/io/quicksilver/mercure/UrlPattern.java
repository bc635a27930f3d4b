package io.quicksilver.mercure;

/**
 * A WHATWG URL Pattern (draft-08 "URL Pattern" matcher type), compiled to linear-time regular expressions.
 *
 * <p>Relative patterns, and relative topics, are resolved against the hub's URL (its resource identifier).
 * A topic that cannot be parsed as a URL reference does not match. Immutable and thread-safe.
 */
public final class UrlPattern {

  private final String pattern;

  private UrlPattern(String pattern) {
    this.pattern = pattern;
  }

  /**
   * Compiles a pattern.
   *
   * @param pattern the pattern string (constructor-string syntax of the URL Pattern standard)
   * @param baseUrl the hub's URL, used for relative patterns and relative topics
   * @throws ProtocolException 400 when the pattern is not a well-formed URL Pattern
   */
  public static UrlPattern compile(String pattern, String baseUrl) {
    throw new UnsupportedOperationException("URL Pattern matching is not implemented yet");
  }

  /** Whether the topic matches (false for a topic that is not a URL reference). */
  public boolean matches(String topic) {
    return false;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
