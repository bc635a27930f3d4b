package io.quicksilver.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;



/**
 * The draft-08 {@code urlpattern} matcher type: the WHATWG URL Pattern Standard's constructor strings,
 * resolved against the hub's URL, matched on RE2 (section "URL Pattern"), as {@link TopicSelector#urlPattern}
 * compiles them: within the compile budget, cached, with the hub's limits on matcher values.
 */
class UrlPatternTest {

  private static final String HUB = "https://example.com/.well-known/mercure";
  private static final String E = "https://example.com";

  private static Arguments row(String pattern, String topic, boolean expected) {
    return Arguments.of(pattern, topic, expected);
  }

  /** Pattern × topic → whether it matches, with the hub URL as base. */
  static Stream<Arguments> table() {
    String shop = "http{s}?://{:subdomain.}?shop.example/products/:id([0-9]+)#reviews";
    String events = "/.well-known/mercure/subscriptions/exact/:topic/:subscriber";
    return Stream.of(
        // absolute patterns (draft-08 "URL Pattern": https://example.com/books/:id)
        row(E + "/books/:id", E + "/books/1", true),
        row(E + "/books/:id", E + "/books/abc-._~", true),
        row(E + "/books/:id", E + "/books/1/x", false),
        row(E + "/books/:id", E + "/books/", false),
        row(E + "/books/:id", E + "/books", false),
        row(E + "/books/:id", "http://example.com/books/1", false),
        row(E + "/books/:id", "https://example.org/books/1", false),
        row(E + "/books/:id", E + "/books/1?x=1", true),
        row(E + "/books/:id", E + "/books/1#f", true),
        row(E + "/books/:id", "x" + E + "/books/1", false),
        // the standard's introduction, example 1
        row(E + "/:category/*", E + "/products/", true),
        row(E + "/:category/*", E + "/blog/our-greatest-product-ever", true),
        row(E + "/:category/*", E + "/", false),
        row(E + "/:category/*", "http://example.com/products/", false),
        row(E + "/:category/*", E + ":8443/blog/our-greatest-product-ever", false),
        // the standard's introduction, example 2
        row(shop, "https://shop.example/products/74205#reviews", true),
        row(shop, "https://kathryn@voyager.shop.example/products/74656#reviews", true),
        row(shop, "http://insecure.shop.example/products/1701#reviews", true),
        row(shop, "https://shop.example/products/2000", false),
        row(shop, "http://shop.example:8080/products/0#reviews", false),
        row(shop, "https://nx.shop.example/products/01?speed=5#reviews", false),
        row(shop, "https://shop.example/products/chair#reviews", false),
        // relative patterns take the hub URL as base (subscription events, draft-08 "Subscription Events")
        row(events, "/.well-known/mercure/subscriptions/exact/https%3A%2F%2Fexample.com%2Fbooks%2F1/urn%3Auuid%3A1", true),
        row(events, E + "/.well-known/mercure/subscriptions/exact/t/s", true),
        row(events, E + "/.well-known/mercure/subscriptions/exact/t", false),
        row(events, E + "/.well-known/mercure/subscriptions/exact/t/s/x", false),
        row(events, "https://other.example/.well-known/mercure/subscriptions/exact/t/s", false),
        row(events, "http://example.com/.well-known/mercure/subscriptions/exact/t/s", false),
        row(events, E + ":8443/.well-known/mercure/subscriptions/exact/t/s", false),
        row("subscriptions/*", E + "/.well-known/subscriptions/x", true),
        row("subscriptions/*", E + "/.well-known/mercure/subscriptions/x", false),
        row("mercure/subscriptions/*", E + "/.well-known/mercure/subscriptions/x", true),
        row("../books/:id", E + "/books/1", true),
        row("?topic=:t", E + "/.well-known/mercure?topic=x", true),
        row("?topic=:t", E + "/other?topic=x", false),
        row("#:f", E + "/.well-known/mercure#x", true),
        // relative topics are resolved against the hub URL too
        row(E + "/books/:id", "/books/1", true),
        row(E + "/books/:id", "//example.com/books/1", true),
        row(E + "/books/:id", "books/1", false),
        row(E + "/.well-known/mercure/subscriptions/*", "mercure/subscriptions/x", true),
        row(E + "/.well-known/mercure/subscriptions/*", "./mercure/subscriptions/x", true),
        row(E + "/.well-known/mercure/subscriptions/*", "subscriptions/x", false),
        row(E + "/.well-known/mercure/subscriptions/*", "/.well-known/mercure/subscriptions/../subscriptions/x", true),
        row(E + "/.well-known/mercure", "", true),
        row(E + "/.well-known/mercure?topic=:t", "?topic=x", true),
        // full wildcards
        row(E + "/*", E + "/", true),
        row(E + "/*", E, true),
        row(E + "/*", E + "/a/b/c?d#e", true),
        row(E, E + "/anything?x#y", true),
        row("https://*.example.com/*", "https://a.example.com/x", true),
        row("https://*.example.com/*", "https://a.b.example.com/x", true),
        row("https://*.example.com/*", E + "/x", false),
        row("https://*/*", "https://anything.example/x", true),
        row("https://*/*", "https://anything.example:8443/x", false),
        row("https://*:*/*", "https://anything.example:8443/x", true),
        row("*://example.com/*", "wss://example.com/x", true),
        // named groups stop at the delimiter
        row(E + "/:a/:b", E + "/1/2", true),
        row(E + "/:a/:b", E + "/1", false),
        row("https://:sub.example.com/*", "https://a.example.com/x", true),
        row("https://:sub.example.com/*", "https://a.b.example.com/x", false),
        // modifiers: ? + * (the "/" before a group is an automatic prefix in pathnames)
        row("/books/:id?", E + "/books", true),
        row("/books/:id?", E + "/books/1", true),
        row("/books/:id?", E + "/books/", false),
        row("/books/:id?", E + "/books/1/2", false),
        row("/books/:id+", E + "/books", false),
        row("/books/:id+", E + "/books/1", true),
        row("/books/:id+", E + "/books/1/2/3", true),
        row("/books/:id*", E + "/books", true),
        row("/books/:id*", E + "/books/1/2", true),
        row("/books/:id*", E + "/books/", false),
        row("/books/*?", E + "/books/", true),
        // regexp groups
        row("/books/:id(\\d+)", E + "/books/42", true),
        row("/books/:id(\\d+)", E + "/books/abc", false),
        row("/books/(\\d+)", E + "/books/42", true),
        row("/(books|authors)/:id", E + "/authors/1", true),
        row("/(books|authors)/:id", E + "/users/1", false),
        row("/blog/:year(\\d{4})/:month(\\d{2})", E + "/blog/2012/02", true),
        row("/blog/:year(\\d{4})/:month(\\d{2})", E + "/blog/12/02", false),
        row("/blog/:title", E + "/blog/2012/02", false),
        row("/books/:id([0-9]+)?", E + "/books", true),
        row("/books/((?:a|b)+)", E + "/books/abba", true),
        row("/books/((?:a|b)+)", E + "/books/abc", false),
        // {...} groups
        row("/books{/:id}?", E + "/books", true),
        row("/books{/:id}?", E + "/books/1", true),
        row("/product{s}?", E + "/product", true),
        row("/product{s}?", E + "/products", true),
        row("/product{s}?", E + "/productss", false),
        row("/{a}b", E + "/ab", true),
        row("/products/{:id}?", E + "/products/", true),
        row("/products/{:id}?", E + "/products/2", true),
        row("/a{-:b}+", E + "/a-1-2", true),
        row("/a{-:b}+", E + "/a", false),
        // escaped characters are literal
        row(E + "/books/\\:id", E + "/books/:id", true),
        row(E + "/books/\\:id", E + "/books/1", false),
        row("/a\\*b", E + "/a*b", true),
        row("/a\\*b", E + "/ab", false),
        row("/a\\+", E + "/a+", true),
        row("/a\\(b\\)", E + "/a(b)", true),
        row("/file.json", E + "/fileXjson", false),
        row("/file.json", E + "/file.json", true),
        row("/(a)\\1", E + "/a1", true),
        // host case-insensitive (canonicalization), every other component case-sensitive
        row("https://EXAMPLE.com/Books", "https://example.COM/Books", true),
        row("https://example.com/Books", "HTTPS://EXAMPLE.COM/Books", true),
        row("https://example.com/Books", E + "/books", false),
        row(E + "/s?q=Cat", E + "/s?q=cat", false),
        row(E + "/p#Top", E + "/p#top", false),
        row("https://münchen.example/*", "https://xn--mnchen-3ya.example/x", true),
        row("https://xn--mnchen-3ya.example/*", "https://MÜNCHEN.example/x", true),
        // default ports
        row(E + "/*", E + ":443/x", true),
        row(E + "/*", E + ":8443/x", false),
        row(E + ":443/*", E + "/x", true),
        row("http://example.com:80/*", "http://example.com/x", true),
        row(E + ":8443/*", E + ":8443/x", true),
        row(E + ":8443/*", E + "/x", false),
        row(E + ":*/*", E + ":8443/x", true),
        row(E + ":*/*", E + "/x", true),
        // search and hash
        row(E + "/search?q=:q", E + "/search?q=cats", true),
        row(E + "/search?q=:q", E + "/search?q=cats&lang=en", true),
        row(E + "/search?q=:q", E + "/search", false),
        row(E + "/search?q=:q", E + "/search?q=cats#f", true),
        row(E + "/foo?bar#baz", E + "/foo?bar#baz", true),
        row(E + "/foo?bar#baz", E + "/foo?bar", false),
        row(E + "/page#:section", E + "/page#intro", true),
        row(E + "/page#:section", E + "/page", false),
        row(E + "/page#intro", E + "/page?x=1#intro", false),
        row(E + "/books/*\\?q=:q", E + "/books/1?q=x", true),
        row(E + "/books/:id?q=:q", E + "/books/1?q=x", false),
        row(E + "/(bar)\\?foo", E + "/bar?foo", true),
        row(E + "/{bar}?foo", E + "/bar?foo", false),
        // percent-encoding: both sides are canonicalized the same way, without decoding
        row(E + "/caf%C3%A9", E + "/café", true),
        row(E + "/café", E + "/caf%C3%A9", true),
        row(E + "/caf%c3%a9", E + "/caf%C3%A9", false),
        row(E + "/a b", E + "/a%20b", true),
        row(E + "/s?q=a b", E + "/s?q=a%20b", true),
        row(E + "/p#a b", E + "/p#a%20b", true),
        row(E + "/books/:id", E + "/books/a%2Fb", true),
        // hosts in canonical form
        row("https://127.0.0.1/*", "https://0x7f.1/a", true),
        row("https://[\\:\\:1]/*", "https://[0:0::1]/a", true),
        row("https://[\\:\\:1]/*", "https://[::2]/a", false),
        // non-special schemes
        row("urn:*", "urn:uuid:e1ee88e2-532a-4d6f-ba70-f0f8bd584022", true),
        row("urn:*", E + "/urn", false),
        row("urn\\:uuid\\:*", "urn:uuid:1", true),
        row("urn\\:uuid\\:*", "urn:isbn:1", false),
        row("mailto:*@example.com", "mailto:joe@example.com", true),
        row("mailto:*@example.com", "mailto:joe@example.org", false),
        row("data\\:foobar", "data:foobar", true));
  }

  /** Verifies that each pattern matches exactly the topics the URL Pattern Standard and draft-08 say it matches. */
  @ParameterizedTest(name = "[{index}] {0} ~ {1} -> {2}")
  @MethodSource("table")
  void patternMatchesTopic(String pattern, String topic, boolean expected) {
    assertEquals(expected, TopicSelector.urlPattern(pattern, HUB).matches(topic));
  }

  /** The standard's introduction, example 3: "../admin/*" against "https://discussion.example/forum/?page=2". */
  static Stream<Arguments> relativeToForum() {
    return Stream.of(
        row("../admin/*", "https://discussion.example/admin/", true),
        row("../admin/*", "https://edd:librarian@discussion.example/admin/update?id=1", true),
        row("../admin/*", "https://discussion.example/forum/admin/", false),
        row("../admin/*", "http://discussion.example:8080/admin/update?id=1", false));
  }

  /** Verifies that a relative pattern is resolved against the base URL the way the standard's example shows. */
  @ParameterizedTest(name = "[{index}] {0} ~ {1} -> {2}")
  @MethodSource("relativeToForum")
  void relativePatternResolvesAgainstBase(String pattern, String topic, boolean expected) {
    assertEquals(expected, TopicSelector.urlPattern(pattern, "https://discussion.example/forum/?page=2").matches(topic));
  }

  /** Verifies that malformed patterns, regexps RE2 cannot run, and values breaking the constraints are 400s. */
  @ParameterizedTest
  @ValueSource(strings = {
      E + "/{a", // unbalanced {
      E + "/a}",
      E + "/{a{b}}",
      E + "/(\\d+", // unbalanced regexp group
      E + "/([a-)", // not a regular expression
      E + "/(a)(\\1)", // backreference
      E + "/(a)/(\\1)",
      E + "/((?=a)a)", // lookahead
      E + "/((?!a).)",
      E + "/((?<=a)b)", // lookbehind
      E + "/(?=a)", // a regexp group cannot start with ?
      E + "/()", // empty regexp group
      E + "/(é)", // non-ASCII regexp
      E + "/(a(b))", // capturing group inside a regexp group
      E + "/:id/:id", // duplicate name
      E + "/:", // : without a name
      E + "/a\\", // trailing backslash
      "ht^tp://example.com/*", // not a scheme
      "/books/\\:id", // an escaped ":" before any "/" ends a protocol, "/books/", which is not a scheme
      "https://exa mple.com/*", // forbidden host code point
      "https://example.com:99999/*", // port out of range
      "https://example.com:80a/*", // port not digits
      "https://[\\:\\:g]/*",
      E + "/a\u0000", // C0 control
      E + "/a\n",
      E + "/a\u007F", // DEL
      E + "/a\u0085", // C1 control
      E + "/a\u200B", // zero-width space (Cf)
      E + "/a\u202E", // right-to-left override (Cf)
      E + "/a\uFEFF", // byte order mark (Cf)
      E + "/a\uD800" // unpaired surrogate: not valid UTF-8
  })
  void invalidPatternsAreBadRequests(String pattern) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> TopicSelector.urlPattern(pattern, HUB));
    assertEquals(400, e.status());
  }

  /** Verifies that the length limit counts UTF-8 bytes, up to and including {@link MatcherValues#MAX_MATCHER_BYTES}. */
  @Test
  void patternLengthIsLimitedInBytes() {
    String prefix = E + "/";
    String longest = prefix + "a".repeat(MatcherValues.MAX_MATCHER_BYTES - prefix.length());
    assertTrue(TopicSelector.urlPattern(longest, HUB).matches(longest));
    assertEquals(400, assertThrows(ProtocolException.class, () -> TopicSelector.urlPattern(longest + "a", HUB)).status());
    String multiByte = prefix + "é".repeat((MatcherValues.MAX_MATCHER_BYTES - prefix.length()) / 2 + 1);
    assertTrue(multiByte.length() < MatcherValues.MAX_MATCHER_BYTES);
    assertEquals(400, assertThrows(ProtocolException.class, () -> TopicSelector.urlPattern(multiByte, HUB)).status());
  }

  /** Verifies that a topic that cannot be parsed as a URL reference against the hub URL matches no pattern. */
  @ParameterizedTest
  @ValueSource(strings = {"https://", "https://exa mple.com/x", "https://example.com:99999/x", "https://example.com:8o/x",
      "https://[::1/x", "https://a%00b.example/x", "http://1.2.3.256/x", "https://@/x", "https://[::g]/x"})
  void unparsableTopicsDoNotMatch(String topic) {
    assertFalse(TopicSelector.urlPattern("https://*:*/*", HUB).matches(topic));
    assertFalse(TopicSelector.urlPattern("http://*:*/*", HUB).matches(topic));
  }

  /** Verifies that odd topics never make matching throw. */
  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\uD800", "%", "%zz", "::::", "[", "http:", "file:///x", "file://h/x", "a:b:c", "\\\\x",
      "http://[1:2:3:4:5:6:7:8:9]/", "http://0x100000000/", "javascript:alert(1)", "//", "///", "?#"})
  void matchingNeverThrows(String topic) {
    TopicSelector.urlPattern(E + "/*", HUB).matches(topic);
    TopicSelector.urlPattern("*://*:*/*", HUB).matches(topic);
  }

  /**
   * Verifies that pathological patterns (nested quantifiers, draft-08 "URL-Pattern Denial of Service") complete
   * against a long topic and answer correctly; the time bound only guards against a hang.
   */
  @ParameterizedTest
  @ValueSource(strings = {E + "/(a+)+b", E + "/:x(a*)*b", E + "/((?:a|a)*)*c", E + "/(.*a){20}!"})
  void adversarialPatternOnLongTopic(String pattern) {
    TopicSelector compiled = TopicSelector.urlPattern(pattern, HUB);
    String topic = E + "/" + "a".repeat(50_000);
    boolean matched = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> compiled.matches(topic));
    assertFalse(matched);
  }

  /** Verifies that compiled patterns are shared per (pattern, base URL). */
  @Test
  void compiledPatternsAreCached() {
    assertSame(TopicSelector.urlPattern(E + "/books/:id", HUB), TopicSelector.urlPattern(E + "/books/:id", HUB));
    TopicSelector other = TopicSelector.urlPattern("/books/:id", "https://other.example/");
    assertTrue(other.matches("https://other.example/books/1"));
    assertFalse(TopicSelector.urlPattern("/books/:id", HUB).matches("https://other.example/books/1"));
    assertEquals("/books/:id", other.toString());
  }
}
