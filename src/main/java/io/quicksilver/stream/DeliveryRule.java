package io.quicksilver.stream;

import io.quicksilver.auth.MercureClaims;
import io.quicksilver.mercure.MatchCache;
import io.quicksilver.mercure.TopicSelector;
import io.quicksilver.mercure.Update;
import java.util.List;

/**
 * Whether an update goes to a stream: one of the update's topics matches one of the stream's selectors (classic
 * "Subscription", draft-08 {@code exact} and {@code urlpattern} matchers), and, for a private update, one of its
 * topics matches one of the selectors the stream's token grants (classic "Authorization", draft-08 access tokens).
 * The one rule for live updates ({@link SubscriberRegistry}'s fan-out) and for replays ({@link Subscriber}).
 *
 * <p>The fan-out does not try every selector on every update: it finds the selectors that match {@linkplain
 * #indexed by equality} through a map keyed by their value, and tries only the {@linkplain #scanned others} (through
 * a bounded cache of results). Together the two halves are exactly {@link TopicSelector#matches}: {@code *} is only
 * scanned, a URI template both (it matches itself too), a URL pattern only scanned (it matches what its pattern
 * matches, not its own text), a plain string and a draft-08 {@code exact} matcher only indexed.
 *
 * <p>Event-loop confined (its cache is): one per registry.
 */
final class DeliveryRule {

  private final MatchCache cache;

  /** @param cacheBytes bytes the cache of template and pattern match results may hold */
  DeliveryRule(long cacheBytes) {
    this.cache = new MatchCache(cacheBytes);
  }

  /** Whether the selector matches a topic equal to its value: the fan-out finds it through its value. */
  static boolean indexed(TopicSelector selector) {
    return !selector.isAny() && !selector.isUrlPattern();
  }

  /** Whether the selector matches topics other than its value: the fan-out tries it on every update. */
  static boolean scanned(TopicSelector selector) {
    return selector.isAny() || selector.isTemplate();
  }

  /** Whether the update goes to the stream (a replay: all of its selectors are tried). */
  boolean delivers(Subscriber s, Update update) {
    return selects(s.selectors, update, false) && authorized(s.claims, update);
  }

  /**
   * Whether one of the selectors matches one of the update's topics.
   *
   * @param scannedOnly try only the {@linkplain #scanned scanned} selectors (the index found the others)
   */
  boolean selects(List<TopicSelector> selectors, Update update, boolean scannedOnly) {
    List<String> topics = update.topics();
    for (int i = 0; i < selectors.size(); i++) {
      TopicSelector selector = selectors.get(i);
      if (scannedOnly && !scanned(selector)) {
        continue;
      }
      for (int j = 0; j < topics.size(); j++) {
        if (cache.matches(selector, topics.get(j))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the stream may receive the update: a public one, or a private one its token grants a topic of. */
  boolean authorized(MercureClaims claims, Update update) {
    return !update.privateUpdate() || selects(claims.subscribe(), update, false);
  }
}
