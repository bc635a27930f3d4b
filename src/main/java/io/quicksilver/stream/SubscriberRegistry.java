package io.quicksilver.stream;

import io.quicksilver.history.Position;
import io.quicksilver.mercure.SseEncoder;
import io.quicksilver.mercure.TopicSelector;
import io.quicksilver.mercure.Update;
import io.quicksilver.metrics.CloseReason;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The subscribers of one delivery instance, indexed for fan-out. Event-loop confined: every method
 * runs on the owning verticle's event loop.
 *
 * <p>Which update goes to which stream is the {@link DeliveryRule}: selectors that match by equality are found
 * through a map keyed by topic; only {@code *}, URI-template and URL-pattern selectors are scanned, through a
 * bounded match cache. Each update is encoded to SSE bytes once, and the same buffer is written to every matching
 * subscriber. Updates must arrive in sequence order, each once (the {@link Sequencer} sees to that).
 *
 * <p>Streams written directly to their socket are not flushed per write: each written socket joins a flush
 * batch, flushed once when the event loop has run its pending tasks ({@code afterTasks}), so a burst of
 * updates (several bus messages, a gap fill, a replay) leaves each socket in one {@code writev}.
 *
 * <p>A drain closes the streams one at a time, spread over its window, from one timer at a time.
 */
public final class SubscriberRegistry {

  private final Map<String, List<Subscriber>> exact = new HashMap<>();
  private final LinkedHashSet<Subscriber> scanned = new LinkedHashSet<>();
  private final LinkedHashSet<Subscriber> everyone = new LinkedHashSet<>();
  private final DeliveryRule rule;
  private final Consumer<CloseReason> onRemove;
  /** The encoding of the update being fanned out, once the first subscriber needs it. */
  private SharedEvent currentEvent;
  /** Counts fan-outs; a subscriber marked with the current round already got (or was refused) this update. */
  private long round;
  /** While fanning out or ticking, removals wait here so that the indexes are not changed under iteration. */
  private boolean iterating;
  private final List<Subscriber> deferredRemovals = new ArrayList<>();
  private final Executor afterTasks;
  private final Sequencer.Timers timers;
  /** Sockets written since their last flush; {@code flushing} is swapped in while they are flushed. */
  private List<DirectSink> unflushed = new ArrayList<>();
  private List<DirectSink> flushing = new ArrayList<>();
  /** The streams a drain closes, in order, and when (milliseconds into the window); the next one is at {@code drained}. */
  private List<Subscriber> draining = List.of();
  private long[] drainAtMillis = new long[0];
  private int drained;
  private long drainStartNanos;
  private long drainTimer = -1;

  /**
   * A registry on a verticle's context.
   *
   * @param cacheBytes bytes the template match cache may hold
   * @param onRemove   told why each subscriber left (for metrics)
   * @param context    the context of the verticle instance whose event loop owns the registry
   */
  public SubscriberRegistry(long cacheBytes, Consumer<CloseReason> onRemove, Context context) {
    this(cacheBytes, onRemove, DirectSink.afterTasks(context), UpdateFeed.timers(context.owner()));
  }

  /**
   * @param afterTasks runs a task on this registry's event loop once the tasks already pending there have run
   *                   (where writes are flushed)
   * @param timers     one-shot timers on this registry's event loop (the drain's)
   */
  SubscriberRegistry(long cacheBytes, Consumer<CloseReason> onRemove, Executor afterTasks, Sequencer.Timers timers) {
    this.rule = new DeliveryRule(cacheBytes);
    this.onRemove = onRemove;
    this.afterTasks = afterTasks;
    this.timers = timers;
  }

  /** Which update goes to which stream (replays ask it too). */
  DeliveryRule rule() {
    return rule;
  }

  void add(Subscriber s) {
    s.attach(this);
    everyone.add(s);
    boolean scan = false;
    for (TopicSelector sel : s.selectors) {
      if (DeliveryRule.scanned(sel)) {
        scan = true;
      }
      if (DeliveryRule.indexed(sel)) {
        List<Subscriber> list = exact.computeIfAbsent(sel.value(), k -> new ArrayList<>(2));
        // a subscriber listed under this topic by an earlier selector of its own is the list's last entry: no scan
        // of everyone already listed (a topic thousands share would make each new stream pay for them all)
        if (list.isEmpty() || list.get(list.size() - 1) != s) {
          list.add(s);
        }
      }
    }
    if (scan) {
      scanned.add(s);
    }
  }

  void remove(Subscriber s, CloseReason reason) {
    if (!everyone.contains(s)) {
      return;
    }
    onRemove.accept(reason);
    if (iterating) {
      deferredRemovals.add(s);
    } else {
      unindex(s);
    }
  }

  private void unindex(Subscriber s) {
    everyone.remove(s);
    scanned.remove(s);
    for (TopicSelector sel : s.selectors) {
      List<Subscriber> list = exact.get(sel.value());
      if (list != null) {
        list.remove(s);
        if (list.isEmpty()) {
          exact.remove(sel.value());
        }
      }
    }
  }

  private void beginIteration() {
    iterating = true;
  }

  private void endIteration() {
    iterating = false;
    if (!deferredRemovals.isEmpty()) {
      for (Subscriber s : deferredRemovals) {
        unindex(s);
      }
      deferredRemovals.clear();
    }
  }

  /**
   * Fans an update out to every subscriber it matches, at most once each.
   *
   * @return how many subscribers it was handed to
   */
  public int dispatch(Update update) {
    long mark = ++round;
    beginIteration();
    try {
      return fanOut(update, mark);
    } finally {
      if (currentEvent != null) {
        currentEvent.release(); // subscribers still replaying hold their own references
        currentEvent = null;
      }
      endIteration();
    }
  }

  private int fanOut(Update update, long mark) {
    int delivered = 0;
    for (String topic : update.topics()) {
      List<Subscriber> list = exact.get(topic);
      if (list != null) {
        for (int i = 0; i < list.size(); i++) {
          delivered += offer(list.get(i), update, mark, false);
        }
      }
    }
    for (Subscriber s : scanned) {
      delivered += offer(s, update, mark, true);
    }
    return delivered;
  }

  /**
   * Hands the update to a subscriber unless it already had its chance in this round.
   *
   * @param scanned whether the subscriber's scanned selectors must still be matched (the index did not find it)
   * @return 1 when delivered, else 0
   */
  private int offer(Subscriber s, Update update, long mark, boolean scanned) {
    if (s.mark == mark || s.closed() || (scanned && !rule.selects(s.selectors, update, true))) {
      return 0;
    }
    s.mark = mark;
    if (!rule.authorized(s.claims, update)) {
      return 0;
    }
    if (currentEvent == null) {
      currentEvent = new SharedEvent(SseEncoder.encode(update)); // encoded once, shared by every subscriber
    }
    s.deliver(update.sequence(), currentEvent);
    return 1;
  }

  /** Flushes the socket once the pending tasks have run (with whatever else they write to it). */
  void flushLater(DirectSink channel) {
    if (channel.unflushed) {
      return;
    }
    channel.unflushed = true;
    unflushed.add(channel);
    if (unflushed.size() == 1) {
      afterTasks.execute(this::flush);
    }
  }

  private void flush() {
    List<DirectSink> batch = unflushed;
    unflushed = flushing; // a flush can make a socket writable, and its stream write again: into the next batch
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).flush();
    }
    batch.clear();
    flushing = batch;
  }

  /** Runs heartbeats and stall checks over every subscriber. */
  public void tick(long nowNanos, long heartbeatNanos) {
    beginIteration();
    try {
      for (Subscriber s : everyone) {
        s.tick(nowNanos, heartbeatNanos);
      }
    } finally {
      endIteration();
    }
  }

  /**
   * Closes every open stream, one at a time, spread evenly over the window (so that clients reconnect
   * elsewhere gradually, not in one storm): the i-th of n at {@code window * i / (n + 1)}. One timer at a time
   * closes every stream whose time has come, then waits for the next; a later drain replaces this one.
   */
  public void drain(long windowMillis) {
    cancelDrain();
    draining = new ArrayList<>(everyone);
    drainAtMillis = new long[draining.size()];
    for (int i = 0; i < drainAtMillis.length; i++) {
      drainAtMillis[i] = Math.max(1, windowMillis * (i + 1) / (drainAtMillis.length + 1));
    }
    drained = 0;
    drainStartNanos = System.nanoTime();
    drainNext();
  }

  private void drainNext() {
    drainTimer = -1;
    long elapsedMillis = (System.nanoTime() - drainStartNanos) / 1_000_000;
    while (drained < draining.size() && drainAtMillis[drained] <= elapsedMillis) {
      draining.get(drained++).close(CloseReason.DRAIN);
    }
    if (drained < draining.size()) {
      drainTimer = timers.schedule(drainAtMillis[drained] - elapsedMillis, this::drainNext);
    } else {
      cancelDrain();
    }
  }

  private void cancelDrain() {
    if (drainTimer >= 0) {
      timers.cancel(drainTimer);
      drainTimer = -1;
    }
    draining = List.of();
    drainAtMillis = new long[0];
  }

  /** The store's sequences restarted (new epoch): every stream forgets the sequences it saw. */
  public void sequencesRestarted() {
    for (Subscriber s : everyone) {
      s.sequencesRestarted();
    }
  }

  /**
   * Updates may have been lost: every stream ends with an event carrying only the hub cursor of
   * {@code resumeAt} as its id, so that the client reconnects from there and is answered
   * {@code Last-Event-ID: earliest}.
   */
  public void declareLoss(Position resumeAt) {
    SharedEvent cursor = SharedEvent.permanent(SseEncoder.cursor(resumeAt.cursor()));
    for (Subscriber s : new ArrayList<>(everyone)) {
      s.endAt(cursor);
    }
  }

  /** Closes every stream (shutdown). */
  public void closeAll(CloseReason reason) {
    cancelDrain();
    for (Subscriber s : new ArrayList<>(everyone)) {
      s.close(reason);
    }
  }
}
