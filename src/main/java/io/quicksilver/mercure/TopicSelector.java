package io.quicksilver.mercure;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A topic selector (classic protocol, "Topic Selectors"): {@code *}, an exact string, or a URI Template.
 *
 * <p>To decide whether a topic matches: {@code *} matches everything; an identical string matches (so a
 * URI Template also matches itself); a valid URI Template matches every expansion; anything else does not
 * match. An invalid template behaves as a plain string.
 */
public final class TopicSelector {

  /** The selector that matches every topic. */
  public static final String ANY = "*";

  private static final int COMPILED_CACHE_LIMIT = 4096;
  private static final ConcurrentHashMap<String, TopicSelector> COMPILED = new ConcurrentHashMap<>();
  private static final TopicSelector ALL = new TopicSelector(ANY, null);

  private final String selector;
  private final UriTemplate template;

  private TopicSelector(String selector, UriTemplate template) {
    this.selector = selector;
    this.template = template;
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
    TopicSelector compiled = new TopicSelector(selector, UriTemplate.compile(selector));
    if (COMPILED.size() >= COMPILED_CACHE_LIMIT) {
      COMPILED.clear();
    }
    COMPILED.put(selector, compiled);
    return compiled;
  }

  /** The selector as given. */
  public String value() {
    return selector;
  }

  /** {@code *}. */
  public boolean isAny() {
    return this == ALL;
  }

  /** A valid URI Template (matched by pattern, not only by equality). */
  public boolean isTemplate() {
    return template != null;
  }

  /** Whether the topic matches this selector. */
  public boolean matches(String topic) {
    if (this == ALL || selector.equals(topic)) {
      return true;
    }
    return template != null && template.matches(topic);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicSelector other && other.selector.equals(selector);
  }

  @Override
  public int hashCode() {
    return selector.hashCode();
  }

  @Override
  public String toString() {
    return selector;
  }
}
