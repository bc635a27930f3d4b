package io.quicksilver.mercure;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A least-recently-used cache bounded in bytes: each entry is put with its estimated size, and the eldest
 * entries leave until the total fits. An entry larger than the whole bound is not kept. Thread-safe (one
 * short lock per call), for caches shared by every event loop.
 */
public final class BoundedCache<K, V> {

  private record Sized<V>(V value, long bytes) {
  }

  private final LinkedHashMap<K, Sized<V>> entries = new LinkedHashMap<>(64, 0.75f, true);
  private final long maxBytes;
  private long bytes;

  /** A cache holding at most {@code maxBytes} (estimated) of entries. */
  public BoundedCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The value of a key, or null; a hit makes the entry the most recently used. */
  public synchronized V get(K key) {
    Sized<V> sized = entries.get(key);
    return sized == null ? null : sized.value();
  }

  /** Puts a value of an estimated {@code size} in bytes, dropping the least recently used entries until all fit. */
  public synchronized void put(K key, V value, long size) {
    if (size > maxBytes) {
      return;
    }
    Sized<V> previous = entries.put(key, new Sized<>(value, size));
    if (previous != null) {
      bytes -= previous.bytes();
    }
    bytes += size;
    Iterator<Map.Entry<K, Sized<V>>> eldest = entries.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      bytes -= eldest.next().getValue().bytes();
      eldest.remove();
    }
  }

  /** Drops a key's entry, if held. */
  public synchronized void remove(K key) {
    Sized<V> removed = entries.remove(key);
    if (removed != null) {
      bytes -= removed.bytes();
    }
  }

  /** The estimated size of what is held. */
  public synchronized long bytes() {
    return bytes;
  }

  /** How many entries are held. */
  public synchronized int size() {
    return entries.size();
  }
}
