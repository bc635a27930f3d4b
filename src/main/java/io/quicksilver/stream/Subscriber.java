package io.quicksilver.stream;

import io.quicksilver.auth.MercureClaims;
import io.quicksilver.history.EventStore;
import io.quicksilver.mercure.SseEncoder;
import io.quicksilver.mercure.TopicSelector;
import io.quicksilver.mercure.Update;
import io.quicksilver.metrics.CloseReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One open SSE stream. Confined to the event loop of the verticle instance that accepted it. Its bytes go through
 * an {@link EventSink}: the response until the stream starts, then the direct path when the connection allows it.
 *
 * <p>Lifecycle: {@code REPLAYING} (history is being read, then written; live updates wait in a bounded queue)
 * → {@code LIVE} → {@code CLOSED}. Writes never block: when the connection's write queue is full the
 * subscriber is "stalled"; if it stays stalled past the dispatch timeout, or more than the buffer
 * limit piles up meanwhile, it is disconnected so that it can resume by cursor. Nobody else waits. A replaying
 * stream is checked like a live one; nothing (no heartbeat) is written before the stream is started, so the
 * response head always carries what the start adds to it (the cursor headers).
 */
final class Subscriber {

  enum State { REPLAYING, LIVE, CLOSED }

  /** A live update that waits for the replay; a null event marks where the store's sequences restarted. */
  private record Queued(long sequence, SharedEvent event) {
  }

  private static final SharedEvent HEARTBEAT = SharedEvent.permanent(SseEncoder.HEARTBEAT);
  private static final Queued RESTART = new Queued(0, null);

  final List<TopicSelector> selectors;
  final MercureClaims claims;
  private final long maxBufferBytes;
  private final long dispatchTimeoutNanos;
  private SubscriberRegistry registry;
  /** The response until the stream starts, then what {@link EventSink#open} chose. */
  private EventSink sink;

  private State state = State.REPLAYING;
  /** Whether the stream was started (its head is written); before, the history is still being read. */
  private boolean started;
  /** The registry's fan-out round in which this subscriber was last matched (de-duplicates selectors). */
  long mark;
  /**
   * The newest sequence of the store's current epoch this stream is past: written, or covered by its replay (the
   * store's head when the history was read). Live updates at or below it are not written again.
   */
  private long lastSequence;
  /** Sized for the common case, nothing waiting: a live stream holds no room for a replay's queue. */
  private final ArrayDeque<Queued> waiting = new ArrayDeque<>(1);
  private long waitingBytes;
  private Iterator<Update> replay;
  /** Whether {@link #pump} is running (a write can report the socket writable again, re-entering it). */
  private boolean pumping;
  private long lastWriteNanos;
  private long stalledSinceNanos;
  private long stalledBytes;
  private final List<Runnable> closeHooks = new ArrayList<>(1);

  /** @param sink where the stream's bytes go until it starts (its response) */
  Subscriber(List<TopicSelector> selectors, MercureClaims claims, EventSink sink, long maxBufferBytes,
             long dispatchTimeoutNanos) {
    this.selectors = List.copyOf(selectors);
    this.claims = claims;
    this.sink = sink;
    this.maxBufferBytes = maxBufferBytes;
    this.dispatchTimeoutNanos = dispatchTimeoutNanos;
    this.lastWriteNanos = System.nanoTime();
  }

  /** Runs once when the stream ends (cancels its timer, announces the end of its subscriptions). */
  void onClose(Runnable hook) {
    closeHooks.add(hook);
  }

  void attach(SubscriberRegistry registry) {
    this.registry = registry;
  }

  /** Whether the stream's events go straight to its socket (known once it started). */
  boolean writesDirectly() {
    return sink.direct();
  }

  /** Takes a live update that matched; retains the event if it must wait. */
  void deliver(long sequence, SharedEvent event) {
    switch (state) {
      case LIVE -> {
        // the replay may have covered sequences this instance's bus delivers only now (late or gap-filled)
        if (sequence > lastSequence) {
          lastSequence = sequence;
          write(event);
        }
      }
      case REPLAYING -> {
        waiting.add(new Queued(sequence, event.retain()));
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
   * Starts the stream with the replay of the history after its cursor; live updates at or below
   * {@code headSequence} are covered by it.
   *
   * @param resumedAfter the cursor the history resumes after (the cursor headers' value)
   */
  void startReplay(List<Update> updates, long headSequence, String resumedAfter) {
    this.replay = updates.iterator();
    this.lastSequence = headSequence;
    open(resumedAfter);
    pump();
  }

  /** Starts the stream live, without history. */
  void startLive() {
    state = State.LIVE;
    open(null);
  }

  /** Sends the head and the opening comment; from then on the events go through the sink that chose. */
  private void open(String resumedAfter) {
    started = true;
    sink = sink.open(resumedAfter, this::onDrain, registry);
    lastWriteNanos = System.nanoTime();
  }

  /**
   * The store's sequences restarted (new epoch): the ones seen so far say nothing about the new ones. A stream
   * replaying its history compares what waits for it with the old epoch's sequences up to this point, and with the
   * new epoch's after; one whose history is still being read starts from the head that read answers.
   */
  void sequencesRestarted() {
    if (state == State.REPLAYING && started) {
      waiting.add(RESTART);
    } else {
      lastSequence = 0;
    }
  }

  private void pump() {
    if (pumping) {
      // a write below drained the socket at once and its writability event came back here: the loop below goes
      // on by itself (it checks the socket before each write); running it again inside would write events out
      // of order and set lastSequence back
      return;
    }
    pumping = true;
    try {
      replayAndDrain();
    } finally {
      pumping = false;
    }
  }

  private void replayAndDrain() {
    while (state == State.REPLAYING) {
      if (!sink.writable()) {
        stalled(System.nanoTime(), 0); // onDrain resumes; the stall rule applies meanwhile
        return;
      }
      if (replay != null && replay.hasNext()) {
        Update u = replay.next();
        if (registry.rule().delivers(this, u)) {
          SharedEvent event = new SharedEvent(SseEncoder.encode(u));
          write(event);
          event.release();
        }
        continue;
      }
      Queued q = waiting.poll();
      if (q == null) {
        state = State.LIVE;
        replay = null;
        return;
      }
      if (q.event() == null) {
        lastSequence = 0; // what follows is of the new epoch
        continue;
      }
      waitingBytes -= q.event().length();
      if (q.sequence() > lastSequence) {
        write(q.event());
        lastSequence = q.sequence();
      }
      q.event().release();
    }
  }

  /**
   * Writes an event; what is written while the connection is already unwritable counts towards the buffer limit.
   * The write that makes it unwritable only starts the stall: on io_uring every write is in flight until the kernel
   * reports it done (a large event leaves a healthy connection unwritable until then), and on NIO it is what the
   * socket did not take at once; either way the client has not fallen behind yet.
   */
  private void write(SharedEvent event) {
    boolean behind = !sink.writable();
    sink.write(event);
    lastWriteNanos = System.nanoTime();
    if (!sink.writable()) {
      stalled(lastWriteNanos, behind ? event.length() : 0);
    }
  }

  /** Counts {@code bytes} written into a full write queue; disconnects once too much piled up. */
  private void stalled(long nowNanos, long bytes) {
    if (stalledSinceNanos == 0) {
      if (dispatchTimeoutNanos == 0) {
        close(CloseReason.SLOW);
        return;
      }
      stalledSinceNanos = nowNanos;
      stalledBytes = 0;
    }
    stalledBytes += bytes;
    if (stalledBytes > maxBufferBytes) {
      close(CloseReason.SLOW);
    }
  }

  private void onDrain() {
    stalledSinceNanos = 0;
    stalledBytes = 0;
    if (state == State.REPLAYING) {
      pump();
    }
  }

  /**
   * Periodic upkeep of a started stream (replaying or live): heartbeat after {@code heartbeatNanos} idle (0 = off),
   * disconnect when stalled too long. A stream also counts as stalled while its connection stays unwritable (even
   * with nothing new to write). A directly written stream is dropped after the connection's idle timeout without a
   * write, as Netty's idle handler, which it replaces, would have done.
   */
  void tick(long nowNanos, long heartbeatNanos) {
    if (state == State.CLOSED || !started) {
      return;
    }
    if (stalledSinceNanos == 0 && !sink.writable()) {
      stalled(nowNanos, 0);
      if (state == State.CLOSED) {
        return;
      }
    }
    if (stalledSinceNanos != 0 && nowNanos - stalledSinceNanos > dispatchTimeoutNanos) {
      close(CloseReason.SLOW);
      return;
    }
    long idleNanos = sink.idleNanos();
    if (idleNanos > 0 && nowNanos - lastWriteNanos >= idleNanos) {
      sink.drop(); // the close handler ends the stream, as after any connection loss
      return;
    }
    if (heartbeatNanos > 0 && nowNanos - lastWriteNanos >= heartbeatNanos && sink.writable()) {
      sink.write(HEARTBEAT);
      lastWriteNanos = nowNanos;
    }
  }

  /** Ends the stream after a last event that carries only a cursor (where the client resumes; see {@code Position}). */
  void endAt(SharedEvent cursor) {
    if (state == State.CLOSED) {
      return;
    }
    if (sink.writable()) {
      if (!started) {
        // still waiting for the history after its cursor: what it would replay may be gone
        open(EventStore.EARLIEST);
      }
      sink.write(cursor);
    }
    close(CloseReason.LOSS);
  }

  /** Ends the stream. A slow subscriber's connection is dropped at once; others get a clean end. */
  void close(CloseReason reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    for (Queued q : waiting) {
      if (q.event() != null) {
        q.event().release();
      }
    }
    waiting.clear();
    replay = null;
    boolean ending = reason != CloseReason.CLIENT_GONE && !sink.clientGone();
    // a stalled client would keep a gracefully ended stream open (and, at exp, keep receiving nothing but
    // still hold the connection): it is dropped like a slow one
    boolean drop = reason == CloseReason.SLOW || ending && !sink.writable();
    sink.release(!drop); // the idle handler returns only to a connection that stays open
    if (registry != null) {
      registry.remove(this, reason);
    }
    for (Runnable hook : closeHooks) {
      hook.run();
    }
    if (reason != CloseReason.SLOW && ending) {
      sink.end();
    }
    if (drop) {
      sink.drop();
    }
  }

  boolean closed() {
    return state == State.CLOSED;
  }
}
