package io.quicksilver.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;



/**
 * Topic selector matching (classic protocol, "Topic Selectors"; RFC 6570 for templates), through
 * {@link TopicSelector}, {@link UriTemplate} and {@link MatchCache}.
 */
class TopicSelectorTest {

  private static final String E = "https://example.com";

  private static Arguments row(String selector, String topic, boolean expected) {
    return Arguments.of(selector, topic, expected);
  }

  /** Selector × topic → whether it matches. */
  static Stream<Arguments> table() {
    return Stream.of(
        // `*` matches everything
        row("*", E + "/books/1", true),
        row("*", "", true),
        row("*", "urn:uuid:1{x}", true),
        // exact strings
        row(E + "/foo", E + "/foo", true),
        row("bar", "bar", true),
        row("bar", "Bar", false),
        row(E + "/foo", E + "/foo/", false),
        row(E + "/foo", E + "/fo", false),
        row(E + "/foo", E + "/foo?x=1", false),
        // regex metacharacters in literals are literal
        row(E + "/a.b/{x}", E + "/aXb/1", false),
        row(E + "/a.b/{x}", E + "/a.b/1", true),
        row(E + "/a+b/{x}", E + "/aab/1", false),
        row(E + "/a+b/{x}", E + "/a+b/1", true),
        row(E + "/(a)/{x}", E + "/(a)/1", true),
        row(E + "/(a)/{x}", E + "/a/1", false),
        // simple expansion {x}
        row(E + "/books/{id}", E + "/books/1", true),
        row(E + "/books/{id}", E + "/books/", true),
        row(E + "/books/{id}", E + "/books/abc-._~XYZ", true),
        row(E + "/books/{id}", E + "/books/a%2Fb", true),
        row(E + "/books/{id}", E + "/books/caf%C3%A9", true),
        row(E + "/books/{id}", E + "/books/caf%c3%a9", true),
        row(E + "/books/{id}", E + "/books/a,b", true),
        row(E + "/books/{id}", E + "/books/1/chapters", false),
        row(E + "/books/{id}", E + "/books/a/b", false),
        row(E + "/books/{id}", E + "/books/a?x=1", false),
        row(E + "/books/{id}", E + "/books/a#f", false),
        row(E + "/books/{id}", E + "/books/a:b", false),
        row(E + "/books/{id}", E + "/books/a b", false),
        row(E + "/books/{id}", E + "/books/café", false),
        row(E + "/books/{id}", E + "/books/%zz", false),
        row(E + "/books/{id}", E + "/books/%2", false),
        // anchored at both ends: no partial match
        row(E + "/books/{id}", "x" + E + "/books/1", false),
        row(E + "/books/{id}", E + "/books/1#frag", false),
        row(E + "/books/{id}/x", E + "/books/1", false),
        row(E + "/books/{id}", E + "/authors/1", false),
        // a template matches itself exactly
        row(E + "/books/{id}", E + "/books/{id}", true),
        row(E + "/{+path}{?q}", E + "/{+path}{?q}", true),
        row(E + "/books/{id}", E + "/books/{other}", false),
        // lists {x,y}
        row(E + "/{x,y}", E + "/1024,768", true),
        row(E + "/{x,y}", E + "/1024", true),
        row(E + "/{x,y}", E + "/1024/768", false),
        // explode {x*}: lists and associative arrays (RFC 6570 3.2.2: {keys*} -> semi=%3B,dot=.,comma=%2C)
        row(E + "/{list*}", E + "/red,green,blue", true),
        row(E + "/{keys*}", E + "/semi=%3B,dot=.,comma=%2C", true),
        row(E + "/{list*}", E + "/red/green", false),
        row(E + "/{keys}", E + "/semi=%3B", false),
        row(E + "/{keys}", E + "/semi,%3B,dot,.", true),
        // prefix {x:3}
        row(E + "/{x:3}", E + "/abc", true),
        row(E + "/{x:3}", E + "/ab", true),
        row(E + "/{x:3}", E + "/a/b", false),
        // reserved expansion {+x}: reserved characters allowed
        row(E + "/{+path}", E + "/a/b/c?x=1&y=2", true),
        row(E + "/{+path}", E + "/:/?#[]@!$&'()*+,;=", true),
        row(E + "/{+path}", E + "/", true),
        row(E + "/{+path}", E + "/a%20b", true),
        row(E + "/{+path}", E + "/a b", false),
        row(E + "/{+path}", E + "/a\"b", false),
        row("{+topic}", "https://example.com/books/1", true),
        // fragment {#x}
        row(E + "/page{#frag}", E + "/page", true),
        row(E + "/page{#frag}", E + "/page#sec/1?x", true),
        row(E + "/page{#frag}", E + "/page#", true),
        row(E + "/page{#frag}", E + "/pagesec", false),
        // label {.x}
        row(E + "/file{.ext}", E + "/file.json", true),
        row(E + "/file{.ext}", E + "/file", true),
        row(E + "/file{.ext}", E + "/file.tar.gz", true),
        row(E + "/file{.ext}", E + "/filejson", false),
        row(E + "/file{.ext}", E + "/file./json", false),
        row(E + "/file{.keys*}", E + "/file.semi=%3B.dot=.", true),
        // path segments {/x}
        row(E + "{/segments*}", E + "/a/b/c", true),
        row(E + "{/segments*}", E, true),
        row(E + "{/segments*}", E + "x", false),
        row(E + "/root{/seg}", E + "/root/a", true),
        row(E + "/root{/seg}", E + "/root/a?b", false),
        row(E + "{/keys*}", E + "/semi=%3B/dot=.", true),
        // path parameters {;x}
        row(E + "/map{;x,y}", E + "/map;x=1;y=2", true),
        row(E + "/map{;x,y}", E + "/map;x", true),
        row(E + "/map{;x,y}", E + "/map", true),
        row(E + "/map{;x,y}", E + "/map?x=1", false),
        row(E + "/map{;x,y}", E + "/map;x=a/b", false),
        // query {?x}
        row(E + "/search{?q,lang}", E + "/search?q=cat&lang=en", true),
        row(E + "/search{?q,lang}", E + "/search?q=a%20b", true),
        row(E + "/search{?q,lang}", E + "/search?q=", true),
        row(E + "/search{?q,lang}", E + "/search", true),
        row(E + "/search{?q,lang}", E + "/search?q=a/b", false),
        row(E + "/search{?q,lang}", E + "/search&q=1", false),
        row(E + "/search{?q,lang}", E + "/search?q=1#f", false),
        // query continuation {&x}
        row(E + "/search?fixed=yes{&x}", E + "/search?fixed=yes&x=1", true),
        row(E + "/search?fixed=yes{&x}", E + "/search?fixed=yes", true),
        row(E + "/search?fixed=yes{&x}", E + "/search?fixed=yes?x=1", false),
        // the protocol's own example (section "Subscribers")
        row(E + "/users/foo/{?topic}", E + "/users/foo/?topic=https%3A%2F%2Fexample.com%2Fbooks%2F1", true),
        row(E + "/users/foo/{?topic}", E + "/users/foo/?topic=https://example.com/books/1", false),
        row(E + "/users/foo/{?topic}", E + "/users/bar/?topic=x", false),
        // percent-encoded literal in the template
        row(E + "/caf%C3%A9/{x}", E + "/caf%C3%A9/1", true),
        row(E + "/caf%C3%A9/{x}", E + "/caf%C3%A8/1", false),
        // invalid templates behave as plain strings
        row(E + "/{", E + "/{", true),
        row(E + "/{", E + "/x", false),
        row(E + "/}", E + "/}", true),
        row(E + "/}", E + "/x", false),
        row(E + "/{=x}", E + "/{=x}", true),
        row(E + "/{=x}", E + "/=x", false),
        row(E + "/{=x}", E + "/a", false),
        row(E + "/{x y}", E + "/{x y}", true),
        row(E + "/{x y}", E + "/a", false),
        row("a{}b", "a{}b", true),
        row("a{}b", "ab", false),
        row(E + "/{!x}", E + "/a", false),
        row(E + "/{@x}", E + "/a", false),
        row(E + "/{|x}", E + "/a", false),
        row(E + "/{x}/{", E + "/a/{", false),
        row(E + "/{x}/{", E + "/{x}/{", true),
        row(E + "/{x:0}", E + "/a", false),
        row(E + "/{x:10000}", E + "/a", false),
        row(E + "/{.x.}", E + "/.a", false),
        row(E + "/a b/{x}", E + "/a b/1", false),
        row(E + "/a b/{x}", E + "/a b/{x}", true),
        row(E + "/%zz/{x}", E + "/%zz/1", false));
  }

  /** Verifies that each selector matches exactly the topics the protocol and RFC 6570 say it matches. */
  @ParameterizedTest(name = "[{index}] {0} ~ {1} -> {2}")
  @MethodSource("table")
  void selectorMatchesTopic(String selector, String topic, boolean expected) {
    assertEquals(expected, TopicSelector.of(selector).matches(topic));
  }

  /** Verifies that the match cache gives the same answers as the selector, on a miss and on a hit. */
  @ParameterizedTest(name = "[{index}] {0} ~ {1} -> {2}")
  @MethodSource("table")
  void matchCacheAgreesWithSelector(String selector, String topic, boolean expected) {
    MatchCache cache = new MatchCache(1 << 20);
    TopicSelector s = TopicSelector.of(selector);
    assertEquals(expected, cache.matches(s, topic));
    assertEquals(expected, cache.matches(s, topic));
  }

  /** Verifies that strings that are not valid URI Templates do not compile (and so compare as plain strings). */
  @ParameterizedTest
  @ValueSource(strings = {"{", "}", "a{b", "a}b", "{=x}", "{,x}", "{!x}", "{@x}", "{|x}", "{x y}", "a{}b", "{x,}", "{,}",
      "{x:}", "{x:0}", "{x:12345}", "{x:a}", "{.x.}", "{x..y}", "{%zz}", "{x}}", "{{x}", "a b{x}", "a\"{x}", "%{x}", "%4{x}",
      "https://example.com/books/1"})
  void invalidTemplatesDoNotCompile(String template) {
    assertNull(UriTemplate.compile(template, CompileBudget.forMatcher()));
    assertFalse(TopicSelector.of(template).isTemplate());
  }

  /** Verifies that valid URI Templates of every level compile. */
  @ParameterizedTest
  @ValueSource(strings = {"{x}", "{+x}", "{#x}", "{.x}", "{/x}", "{;x}", "{?x}", "{&x}", "{x,y}", "{x*}", "{x:3}",
      "{x:9999}", "{x_1.y}", "{%41b}", "https://example.com/{a}/{+b}{?c*,d:2}", "{?x,y*,z:5}"})
  void validTemplatesCompile(String template) {
    UriTemplate compiled = UriTemplate.compile(template, CompileBudget.forMatcher());
    assertNotNull(compiled);
    assertEquals(template, compiled.toString());
    assertTrue(TopicSelector.of(template).isTemplate());
  }

  /** Verifies that `*` is the shared any-selector and is not treated as a template. */
  @Test
  void anySelectorIsShared() {
    TopicSelector any = TopicSelector.of("*");
    assertSame(any, TopicSelector.of(TopicSelector.ANY));
    assertTrue(any.isAny());
    assertFalse(any.isTemplate());
    assertFalse(TopicSelector.of("**").isAny());
    assertFalse(TopicSelector.of("**").matches("x"));
  }

  /** Verifies that selectors are equal by their text. */
  @Test
  void selectorsAreEqualByText() {
    assertEquals(TopicSelector.of("https://example.com/{x}"), TopicSelector.of("https://example.com/{x}"));
    assertEquals(TopicSelector.of("a").hashCode(), TopicSelector.of("a").hashCode());
    assertEquals("https://example.com/{x}", TopicSelector.of("https://example.com/{x}").value());
    assertFalse(TopicSelector.of("a").equals(TopicSelector.of("b")));
  }

  /** Verifies that an adversarial template against a long topic gives the right answer (RE2 matching is linear). */
  @Test
  void adversarialTemplateOnLongTopic() {
    String template = E + "/" + "{+a}x".repeat(40) + "{+z}";
    TopicSelector selector = TopicSelector.of(template);
    assertTrue(selector.isTemplate());
    String longTopic = E + "/" + "x".repeat(50_000);
    assertTrue(selector.matches(longTopic));
    assertFalse(selector.matches(longTopic + " "));
    assertFalse(selector.matches(E + "/" + "x".repeat(39)));

    TopicSelector nested = TopicSelector.of(E + "/{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}{k}{l}!");
    String as = E + "/" + "a".repeat(50_000);
    assertFalse(nested.matches(as));
    assertTrue(nested.matches(as + "!"));
  }

  /** Verifies that the match cache only stores template results, stays within its bytes, and skips long topics. */
  @Test
  void matchCacheIsBoundedInBytes() {
    TopicSelector template = TopicSelector.of(E + "/books/{id}");
    long perEntry = MatchCache.ENTRY_BYTES + 2L * (E + "/books/0").length();
    MatchCache cache = new MatchCache(3 * perEntry);
    cache.matches(TopicSelector.of("*"), "a");
    cache.matches(TopicSelector.of("plain"), "plain");
    assertEquals(0, cache.size());
    for (int i = 0; i < 10; i++) {
      assertTrue(cache.matches(template, E + "/books/" + i));
      assertTrue(cache.bytes() <= 3 * perEntry);
    }
    assertEquals(3, cache.size());
    assertFalse(cache.matches(template, E + "/books/1/2"));
    assertTrue(cache.matches(template, E + "/books/0"));
    String longTopic = E + "/books/" + "x".repeat(MatchCache.MAX_TOPIC_CHARS);
    assertTrue(cache.matches(template, longTopic));
    assertTrue(cache.bytes() <= 3 * perEntry);
    assertFalse(cache.matches(template, longTopic + "/y"));
  }
  private static final String HUB = "https://example.com/.well-known/mercure";

  /** Draft-08 {@code exact} selector × topic → whether it matches. */
  static Stream<Arguments> exactTable() {
    return Stream.of(
        row("*", E + "/books/1", true),
        row("*", "", true),
        row(E + "/books/1", E + "/books/1", true),
        // byte-for-byte: no URL canonicalization
        row(E + "/books/1", "HTTPS://example.com/books/1", false),
        row(E + "/books/1", "https://EXAMPLE.com/books/1", false),
        row(E + "/books/1", E + ":443/books/1", false),
        row(E + "/books/1", E + "/books/./1", false),
        row(E + "/books/1", E + "/books/%31", false),
        row(E + "/books/1", E + "/books/1/", false),
        // no resolution against the hub URL
        row("books/1", "books/1", true),
        row("books/1", E + "/.well-known/books/1", false),
        row("/books/1", E + "/books/1", false),
        // no Unicode normalization: NFC and NFD spellings differ
        row("caf\u00E9", "caf\u00E9", true),
        row("caf\u00E9", "cafe\u0301", false),
        // template and pattern syntax is literal
        row(E + "/books/{id}", E + "/books/1", false),
        row(E + "/books/{id}", E + "/books/{id}", true),
        row(E + "/books/:id", E + "/books/1", false),
        row(E + "/books/:id", E + "/books/:id", true),
        row("**", "x", false));
  }

  /** Verifies that draft-08 exact matching is byte-for-byte equality, with {@code *} matching everything. */
  @ParameterizedTest(name = "[{index}] {0} ~ {1} -> {2}")
  @MethodSource("exactTable")
  void exactSelectorMatchesTopic(String selector, String topic, boolean expected) {
    assertEquals(expected, TopicSelector.exact(selector).matches(topic));
    MatchCache cache = new MatchCache(1 << 20);
    assertEquals(expected, cache.matches(TopicSelector.exact(selector), topic));
  }

  /** Draft-08 {@code urlpattern} selector × topic → whether it matches (hub URL as base). */
  static Stream<Arguments> urlPatternTable() {
    return Stream.of(
        row("*", E + "/books/1", true),
        row("*", "urn:x", true),
        row("*", "not a url at all://", true),
        row(E + "/books/:id", E + "/books/1", true),
        row(E + "/books/:id", E + "/books/1/x", false),
        row(E + "/books/:id", "/books/1", true),
        row("/.well-known/mercure/subscriptions/exact/:topic/:subscriber",
            E + "/.well-known/mercure/subscriptions/exact/t/s", true),
        row("/.well-known/mercure/subscriptions/exact/:topic/:subscriber",
            E + "/.well-known/mercure/subscriptions/urlpattern/t/s", false));
  }

  /** Verifies that urlpattern selectors match through {@link io.quicksilver.url.UrlPattern}, with {@code *} matching everything. */
  @ParameterizedTest(name = "[{index}] {0} ~ {1} -> {2}")
  @MethodSource("urlPatternTable")
  void urlPatternSelectorMatchesTopic(String selector, String topic, boolean expected) {
    TopicSelector s = TopicSelector.urlPattern(selector, HUB);
    assertEquals(expected, s.matches(topic));
    MatchCache cache = new MatchCache(1 << 20);
    assertEquals(expected, cache.matches(s, topic));
    assertEquals(expected, cache.matches(s, topic));
  }

  /** Verifies the matcher type names, template flag and equality of selectors of each kind. */
  @Test
  void selectorKinds() {
    TopicSelector classic = TopicSelector.of(E + "/books/{id}");
    TopicSelector exact = TopicSelector.exact(E + "/books/{id}");
    TopicSelector pattern = TopicSelector.urlPattern(E + "/books/:id", HUB);
    assertNull(TopicSelector.Kind.CLASSIC.matchType());
    assertEquals("exact", TopicSelector.Kind.EXACT.matchType());
    assertEquals("urlpattern", TopicSelector.Kind.URL_PATTERN.matchType());
    assertTrue(classic.isTemplate());
    assertFalse(exact.isTemplate());
    assertTrue(pattern.isTemplate());
    assertFalse(classic.equals(exact));
    assertFalse(pattern.equals(TopicSelector.exact(E + "/books/:id")), "same text, another kind");
    assertEquals(exact, TopicSelector.exact(E + "/books/{id}"));
    assertEquals(pattern, TopicSelector.urlPattern(E + "/books/:id", HUB));
    assertEquals(pattern.hashCode(), TopicSelector.urlPattern(E + "/books/:id", HUB).hashCode());
    assertEquals(E + "/books/:id", pattern.value());
    // `*` is recognized before the matcher type (draft-08 "Matcher Types")
    assertSame(TopicSelector.of("*"), TopicSelector.exact("*"));
    assertSame(TopicSelector.of("*"), TopicSelector.urlPattern("*", HUB));
    assertTrue(TopicSelector.exact("*").isAny());
  }

  /** Verifies that a malformed urlpattern value is refused with 400 when the selector is built. */
  @ParameterizedTest
  @ValueSource(strings = {"https://example.com/{a", "https://example.com/(a)(\\1)", "https://example.com/a\u200B"})
  void invalidUrlPatternSelectorIsBadRequest(String selector) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> TopicSelector.urlPattern(selector, HUB));
    assertEquals(400, e.status());
  }
}
