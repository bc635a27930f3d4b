package io.quicksilver.support;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A subscriber that behaves like a browser's {@code EventSource}: when the hub ends its stream (or refuses
 * a reconnection), it connects again after a short pause with the last event ID it holds, the way
 * {@code EventSource} does. It records every event id it receives and the {@code Last-Event-ID} each
 * reconnection was answered with ({@code earliest}: the hub declared that history was lost).
 */
public final class ResumingSubscriber implements AutoCloseable {

  private static final Duration RETRY = Duration.ofMillis(200);

  private final URI uri;
  private final Map<String, String> headers;
  private final List<String> ids = new ArrayList<>();
  private final List<String> answers = new ArrayList<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile SseClient current;
  private volatile String cursor;

  private ResumingSubscriber(URI uri, Map<String, String> headers) {
    this.uri = uri;
    this.headers = Map.copyOf(headers);
    this.current = connect();
    this.thread = new Thread(this::run, "resuming-subscriber");
    thread.setDaemon(true);
    thread.start();
  }

  /** Opens the first stream (it must be accepted) and keeps resuming until closed. */
  public static ResumingSubscriber open(URI uri, Map<String, String> headers) {
    return new ResumingSubscriber(uri, headers);
  }

  private SseClient connect() {
    Map<String, String> h = new HashMap<>(headers);
    if (cursor != null && !cursor.isEmpty()) {
      h.put("Last-Event-ID", cursor);
    }
    SseClient client = SseClient.open(uri, h);
    if (client.status() != 200) {
      client.close();
      throw new IllegalStateException("subscription refused: " + client.status() + " " + client.errorBody());
    }
    if (cursor != null) {
      synchronized (this) {
        answers.add(client.header("Last-Event-ID"));
      }
    }
    return client;
  }

  private void run() {
    while (!closed) {
      SseClient.Event e = current.poll(Duration.ofMillis(100));
      if (e != null) {
        synchronized (this) {
          ids.add(e.lastEventId());
          notifyAll();
        }
        continue;
      }
      if (!current.ended()) {
        continue;
      }
      for (SseClient.Event rest : current.drain()) {
        synchronized (this) {
          ids.add(rest.lastEventId());
          notifyAll();
        }
      }
      String last = current.lastEventId();
      if (!last.isEmpty()) {
        cursor = last;
      }
      current.close();
      SseClient next = null;
      for (int attempt = 0; attempt < 300 && next == null && !closed; attempt++) {
        pause();
        try {
          next = connect();
        } catch (RuntimeException refused) {
          next = null; // e.g. 503 while the history is unreachable: retry, as EventSource does
        }
      }
      if (next == null) {
        return;
      }
      current = next;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every event id received, in order, across reconnections. */
  public synchronized List<String> ids() {
    return List.copyOf(ids);
  }

  /** The {@code Last-Event-ID} answers of the reconnections, in order. */
  public synchronized List<String> answers() {
    return List.copyOf(answers);
  }

  /** Waits until every id in {@code wanted} was received; fails after the timeout naming what is missing. */
  public synchronized void awaitAll(List<String> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ids.containsAll(wanted)) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        List<String> missing = new ArrayList<>(wanted);
        missing.removeAll(ids);
        throw new AssertionError("not received within " + timeout + ": " + missing + "; reconnections answered " + answers);
      }
      try {
        wait(Math.min(left, 100));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    current.close();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
