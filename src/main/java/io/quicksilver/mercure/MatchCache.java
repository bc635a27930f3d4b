package io.quicksilver.mercure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used cache of template match results, keyed by (selector, topic).
 *
 * <p>Not thread-safe: each delivery instance owns one, confined to its event loop.
 */
public final class MatchCache {

  private record Key(TopicSelector selector, String topic) {
  }

  private final LinkedHashMap<Key, Boolean> entries;

  public MatchCache(int capacity) {
    this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Whether the topic matches the selector, from the cache when known. */
  public boolean matches(TopicSelector selector, String topic) {
    if (selector.isAny() || !selector.isTemplate()) {
      return selector.matches(topic);
    }
    Key key = new Key(selector, topic);
    Boolean known = entries.get(key);
    if (known != null) {
      return known;
    }
    boolean result = selector.matches(topic);
    entries.put(key, result);
    return result;
  }

  /** Number of cached results. */
  public int size() {
    return entries.size();
  }
}
