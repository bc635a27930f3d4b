package io.quicksilver.mercure;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A least-recently-used cache of template and pattern match results, keyed by (selector, topic), bounded in
 * bytes: an entry is estimated at {@link #ENTRY_BYTES} plus two bytes per character of its topic, and
 * topics longer than {@link #MAX_TOPIC_CHARS} are matched without being cached (a publisher's long topics
 * cannot fill it, and matching them costs no more than hashing them).
 *
 * <p>Not thread-safe: each delivery instance owns one, confined to its event loop.
 */
public final class MatchCache {

  /** Estimated bytes of one entry besides its topic's characters (map entry, key, boxed result). */
  static final long ENTRY_BYTES = 112;
  /** Longest topic whose results are cached. */
  static final int MAX_TOPIC_CHARS = 1024;

  private record Key(TopicSelector selector, String topic) {
  }

  private final LinkedHashMap<Key, Boolean> entries = new LinkedHashMap<>(1024, 0.75f, true);
  private final long maxBytes;
  private long bytes;

  /** @param maxBytes the most bytes the cached results may take (estimated) */
  public MatchCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Whether the topic matches the selector, from the cache when known. */
  public boolean matches(TopicSelector selector, String topic) {
    if (selector.isAny() || !selector.isTemplate() || topic.length() > MAX_TOPIC_CHARS) {
      return selector.matches(topic);
    }
    Key key = new Key(selector, topic);
    Boolean known = entries.get(key);
    if (known != null) {
      return known;
    }
    boolean result = selector.matches(topic);
    entries.put(key, result);
    bytes += weight(topic);
    Iterator<Map.Entry<Key, Boolean>> eldest = entries.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      bytes -= weight(eldest.next().getKey().topic());
      eldest.remove();
    }
    return result;
  }

  private static long weight(String topic) {
    return ENTRY_BYTES + 2L * topic.length();
  }

  /** Number of cached results. */
  public int size() {
    return entries.size();
  }

  /** Estimated bytes of the cached results. */
  public long bytes() {
    return bytes;
  }
}
