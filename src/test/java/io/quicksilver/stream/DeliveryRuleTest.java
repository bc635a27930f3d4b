package io.quicksilver.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.auth.MercureClaims;
import io.quicksilver.mercure.TopicSelector;
import io.quicksilver.mercure.Update;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one delivery rule of live updates and replays ({@link DeliveryRule}): the fan-out's two halves (selectors
 * found by their value, selectors tried on every update) select exactly what {@link TopicSelector#matches} selects,
 * for every kind of selector, and a private update needs a grant.
 */
class DeliveryRuleTest {

  private static final String E = "https://example.com";
  private static final String HUB = "https://hub.example.com/.well-known/mercure";
  /** A URL pattern that does not match its own text: the backslash reads as a slash in a URL. */
  private static final String DIGITS = E + "/books/(\\d+)";

  private final DeliveryRule rule = new DeliveryRule(1 << 20);

  private static Arguments row(TopicSelector selector, String topic) {
    return Arguments.of(selector, topic);
  }

  /** Selectors of every kind, against their own text, a topic they match, and one they do not. */
  static Stream<Arguments> table() {
    return Stream.of(
        row(TopicSelector.of("*"), E + "/books/1"),
        row(TopicSelector.of(E + "/books/1"), E + "/books/1"),
        row(TopicSelector.of(E + "/books/1"), E + "/books/2"),
        row(TopicSelector.of(E + "/books/{id}"), E + "/books/{id}"),
        row(TopicSelector.of(E + "/books/{id}"), E + "/books/7"),
        row(TopicSelector.of(E + "/books/{id}"), E + "/authors/7"),
        row(TopicSelector.of(E + "/books/{"), E + "/books/{"),
        row(TopicSelector.exact("*"), "anything"),
        row(TopicSelector.exact(E + "/books/1"), E + "/books/1"),
        row(TopicSelector.exact(E + "/books/{id}"), E + "/books/7"),
        row(TopicSelector.exact(E + "/books/{id}"), E + "/books/{id}"),
        row(TopicSelector.urlPattern("*", HUB), "anything"),
        row(TopicSelector.urlPattern(E + "/books/:id", HUB), E + "/books/:id"),
        row(TopicSelector.urlPattern(E + "/books/:id", HUB), E + "/books/7"),
        row(TopicSelector.urlPattern(E + "/books/:id", HUB), E + "/books/7/chapters"),
        row(TopicSelector.urlPattern(DIGITS, HUB), DIGITS),
        row(TopicSelector.urlPattern(DIGITS, HUB), E + "/books/42"),
        row(TopicSelector.urlPattern("/books/:id", HUB), "/books/7"));
  }

  /**
   * Verifies that what the fan-out finds through its index (a selector equal to a topic, when it is indexed) or by
   * scanning is what the selector matches, which a replay asks the rule directly.
   */
  @ParameterizedTest(name = "{0} ~ {1}")
  @MethodSource("table")
  void fanOutSelectsWhatTheSelectorMatches(TopicSelector selector, String topic) {
    Update update = update(false, topic);
    boolean byIndex = DeliveryRule.indexed(selector) && selector.value().equals(topic);
    boolean byScan = DeliveryRule.scanned(selector) && rule.selects(List.of(selector), update, true);
    assertEquals(selector.matches(topic), byIndex || byScan, "fan-out");
    assertEquals(selector.matches(topic), rule.selects(List.of(selector), update, false), "replay");
  }

  /** Verifies that a URL pattern is never found by its own text, which it need not match. */
  @Test
  void urlPatternIsNotIndexed() {
    TopicSelector digits = TopicSelector.urlPattern(DIGITS, HUB);
    assertFalse(digits.matches(DIGITS), "the test's pattern does not match its own text");
    assertFalse(DeliveryRule.indexed(digits));
    assertTrue(DeliveryRule.scanned(digits));
  }

  /** Verifies that any topic of the update may match, and that a private update needs a grant on one of its topics. */
  @Test
  void alternateTopicsAndPrivateUpdates() {
    List<TopicSelector> selectors = List.of(TopicSelector.of(E + "/alternate"));
    assertTrue(rule.selects(selectors, update(false, E + "/canonical", E + "/alternate"), false));
    MercureClaims none = new MercureClaims(List.of(), List.of(), null, null);
    MercureClaims granted = new MercureClaims(List.of(), List.of(TopicSelector.of(E + "/{x}")), null, null);
    assertTrue(rule.authorized(none, update(false, E + "/canonical")));
    assertFalse(rule.authorized(none, update(true, E + "/canonical")));
    assertTrue(rule.authorized(granted, update(true, E + "/a/b", E + "/canonical")));
    assertFalse(rule.authorized(granted, update(true, E + "/a/b")));
  }

  private static Update update(boolean privateUpdate, String... topics) {
    return new Update(1, "urn:uuid:1", List.of(topics), "data", privateUpdate, null, null);
  }
}
