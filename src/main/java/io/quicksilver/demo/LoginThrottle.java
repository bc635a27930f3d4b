package io.quicksilver.demo;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounds password guessing on {@code /api/login}, per node: a client address may try {@link #PER_CLIENT}
 * times per {@link #WINDOW}, and a user name may fail {@link #FAILURES_PER_USER} times per window, whoever
 * tries (a distributed guess at one account). Past either, logins answer 429 with the seconds to wait, and
 * no password is hashed. A success clears the user name's failures.
 *
 * <p>Memory is bounded: at most {@link #MAX_KEYS} addresses and names are tracked; the oldest entry goes
 * first. Thread-safe (called from every event loop of the node).
 */
public final class LoginThrottle {

  /** The window over which attempts are counted. */
  public static final Duration WINDOW = Duration.ofMinutes(1);
  /** Attempts per client address and window. */
  public static final int PER_CLIENT = 20;
  /** Failed attempts per user name and window. */
  public static final int FAILURES_PER_USER = 5;
  static final int MAX_KEYS = 10_000;

  private final Clock clock;
  private final Map<String, Deque<Long>> attempts = new LinkedHashMap<>(16, 0.75f, true);

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /**
   * Counts an attempt from {@code client} at {@code user}.
   *
   * @return 0 when it may go on, else the seconds to wait before trying again
   */
  public synchronized long attempt(String client, String user) {
    long now = clock.millis();
    long waitClient = waitSeconds("client:" + client, PER_CLIENT, now);
    long waitUser = waitSeconds("user:" + user, FAILURES_PER_USER, now);
    long wait = Math.max(waitClient, waitUser);
    if (wait == 0) {
      record("client:" + client, now);
    }
    return wait;
  }

  /** Counts a failed attempt at {@code user}. */
  public synchronized void failed(String user) {
    record("user:" + user, clock.millis());
  }

  /** Forgets the failures of {@code user} after a successful login. */
  public synchronized void succeeded(String user) {
    attempts.remove("user:" + user);
  }

  /** How many addresses and names are tracked. */
  synchronized int tracked() {
    return attempts.size();
  }

  private long waitSeconds(String key, int limit, long now) {
    Deque<Long> times = attempts.get(key);
    if (times == null) {
      return 0;
    }
    long windowStart = now - WINDOW.toMillis();
    while (!times.isEmpty() && times.peekFirst() <= windowStart) {
      times.pollFirst();
    }
    if (times.isEmpty()) {
      attempts.remove(key);
      return 0;
    }
    if (times.size() < limit) {
      return 0;
    }
    return Math.max(1, (times.peekFirst() - windowStart + 999) / 1000);
  }

  private void record(String key, long now) {
    Deque<Long> times = attempts.computeIfAbsent(key, k -> new ArrayDeque<>());
    times.addLast(now);
    while (times.size() > Math.max(PER_CLIENT, FAILURES_PER_USER)) {
      times.pollFirst();
    }
    if (attempts.size() > MAX_KEYS) {
      Iterator<String> eldest = attempts.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }
}
