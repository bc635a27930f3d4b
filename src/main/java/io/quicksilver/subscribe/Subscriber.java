package io.quicksilver.subscribe;

import io.quicksilver.auth.MercureClaims;
import io.quicksilver.mercure.SseEncoder;
import io.quicksilver.mercure.TopicSelector;
import io.quicksilver.mercure.Update;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * One open SSE stream. Confined to the event loop of the verticle instance that accepted it.
 *
 * <p>Lifecycle: {@code REPLAYING} (history is being written; live updates wait in a bounded queue) →
 * {@code LIVE} → {@code CLOSED}. Writes never block: when the connection's write queue is full the
 * subscriber is "stalled"; if it stays stalled past the dispatch timeout, or more than the buffer
 * limit piles up meanwhile, it is disconnected so that it can resume by cursor. Nobody else waits.
 */
public final class Subscriber {

  enum State { REPLAYING, LIVE, CLOSED }

  /** Why a stream ended, for logs and metrics. */
  public enum CloseReason { CLIENT_GONE, LIFETIME, TOKEN_EXPIRED, SLOW, LOSS, DRAIN, SHUTDOWN }

  private record Queued(long sequence, Buffer event) {
  }

  private static final Buffer HEARTBEAT = Buffer.buffer(SseEncoder.HEARTBEAT);

  final String id;
  final List<TopicSelector> selectors;
  final MercureClaims claims;
  private final HttpServerResponse response;
  private final HttpConnection connection;
  private final long maxBufferBytes;
  private final long dispatchTimeoutNanos;
  private SubscriberRegistry registry;

  State state = State.REPLAYING;
  /** The registry's fan-out round in which this subscriber was last matched (de-duplicates selectors). */
  long mark;
  private long lastSequence;
  private long coveredUntil;
  private final ArrayDeque<Queued> waiting = new ArrayDeque<>();
  private long waitingBytes;
  private Iterator<Update> replay;
  private long lastWriteNanos;
  private long stalledSinceNanos;
  private long stalledBytes;
  private final List<Runnable> closeHooks = new java.util.ArrayList<>(1);

  Subscriber(String id, List<TopicSelector> selectors, MercureClaims claims, HttpServerResponse response,
             HttpConnection connection, long maxBufferBytes, long dispatchTimeoutNanos) {
    this.id = id;
    this.selectors = List.copyOf(selectors);
    this.claims = claims;
    this.response = response;
    this.connection = connection;
    this.maxBufferBytes = maxBufferBytes;
    this.dispatchTimeoutNanos = dispatchTimeoutNanos;
    this.lastWriteNanos = System.nanoTime();
    response.drainHandler(v -> onDrain());
  }

  /** Runs once when the stream ends (cancels its timer, announces the end of its subscriptions). */
  void onClose(Runnable hook) {
    closeHooks.add(hook);
  }

  void attach(SubscriberRegistry registry) {
    this.registry = registry;
  }

  /** The subscriber's id ({@code urn:uuid:...}). */
  public String id() {
    return id;
  }

  /** Whether the update's topics match a selector and, for a private update, the token allows it. */
  boolean wants(Update update) {
    boolean selected = false;
    for (TopicSelector s : selectors) {
      for (String t : update.topics()) {
        if (s.matches(t)) {
          selected = true;
          break;
        }
      }
      if (selected) {
        break;
      }
    }
    return selected && (!update.privateUpdate() || claims.mayReceive(update.topics()));
  }

  /** Takes a live update that matched. */
  void deliver(long sequence, Buffer event) {
    switch (state) {
      case LIVE -> {
        lastSequence = sequence;
        write(event);
      }
      case REPLAYING -> {
        waiting.add(new Queued(sequence, event));
        waitingBytes += event.length();
        if (waitingBytes > maxBufferBytes) {
          close(CloseReason.SLOW);
        }
      }
      case CLOSED -> {
      }
    }
  }

  /**
   * Starts writing the replay; live updates at or below {@code headSequence} are covered by it. The part of
   * the replay this instance's live path has not delivered yet is left to the live path: it arrives later
   * (when this subscriber may already be live), and written from both it would be written twice.
   */
  void startReplay(List<Update> updates, long headSequence) {
    long live = registry == null ? -1 : registry.deliveredUpTo();
    long covered = live < 0 ? headSequence : Math.min(headSequence, live);
    this.replay = updates.stream().filter(u -> u.sequence() <= covered).iterator();
    this.coveredUntil = covered;
    pump();
  }

  /** Goes live without history. */
  void startLive() {
    state = State.LIVE;
  }

  private void pump() {
    while (state == State.REPLAYING) {
      if (response.writeQueueFull()) {
        return; // onDrain resumes
      }
      if (replay != null && replay.hasNext()) {
        Update u = replay.next();
        if (wants(u)) {
          write(Buffer.buffer(SseEncoder.encode(u)));
          lastSequence = u.sequence();
        }
        continue;
      }
      Queued q = waiting.poll();
      if (q == null) {
        state = State.LIVE;
        replay = null;
        return;
      }
      waitingBytes -= q.event().length();
      if (q.sequence() > coveredUntil && q.sequence() > lastSequence) {
        write(q.event());
        lastSequence = q.sequence();
      }
    }
  }

  private void write(Buffer event) {
    response.write(event);
    lastWriteNanos = System.nanoTime();
    if (state == State.LIVE && response.writeQueueFull()) {
      if (stalledSinceNanos == 0) {
        if (dispatchTimeoutNanos == 0) {
          close(CloseReason.SLOW);
          return;
        }
        stalledSinceNanos = lastWriteNanos;
        stalledBytes = 0;
      }
      stalledBytes += event.length();
      if (stalledBytes > maxBufferBytes) {
        close(CloseReason.SLOW);
      }
    }
  }

  private void onDrain() {
    stalledSinceNanos = 0;
    stalledBytes = 0;
    if (state == State.REPLAYING) {
      pump();
    }
  }

  /** Periodic upkeep: heartbeat after {@code heartbeatNanos} idle (0 = off), disconnect when stalled too long. */
  void tick(long nowNanos, long heartbeatNanos) {
    if (state == State.CLOSED) {
      return;
    }
    if (stalledSinceNanos != 0 && nowNanos - stalledSinceNanos > dispatchTimeoutNanos) {
      close(CloseReason.SLOW);
      return;
    }
    if (heartbeatNanos > 0 && nowNanos - lastWriteNanos >= heartbeatNanos && !response.writeQueueFull()) {
      response.write(HEARTBEAT);
      lastWriteNanos = nowNanos;
    }
  }

  /** Ends the stream. A slow subscriber's connection is dropped at once; others get a clean end. */
  void close(CloseReason reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    waiting.clear();
    replay = null;
    if (registry != null) {
      registry.remove(this, reason);
    }
    for (Runnable hook : closeHooks) {
      hook.run();
    }
    if (reason == CloseReason.SLOW) {
      abort(connection);
    } else if (reason != CloseReason.CLIENT_GONE && !response.closed()) {
      // a stalled client would keep a gracefully ended stream open (and, at exp, keep receiving nothing
      // but still hold the connection): drop it instead
      boolean stalled = response.writeQueueFull();
      response.end();
      if (stalled) {
        abort(connection);
      }
    }
  }

  /**
   * Drops a connection at once. Vert.x closes gracefully: {@link HttpConnection#close()} (and a close
   * through the channel's pipeline, which Vert.x's handler intercepts) first writes an empty buffer and
   * closes only once that write completes, which never happens while the peer does not read, so the
   * stalled socket would stay open for good. Closing from Vert.x's own handler context skips that handler
   * and closes the socket now, discarding what is queued.
   */
  private static void abort(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channelHandlerContext().close();
    } else {
      connection.close();
    }
  }

  boolean closed() {
    return state == State.CLOSED;
  }
}
