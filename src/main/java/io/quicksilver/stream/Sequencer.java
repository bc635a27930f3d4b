package io.quicksilver.stream;

import io.quicksilver.history.EventStore;
import io.quicksilver.history.Position;
import io.quicksilver.mercure.Update;
import io.quicksilver.metrics.LossCause;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the updates a delivery instance receives from the event bus back into sequence order, and makes
 * every loss visible.
 *
 * <p>The bus is a best-effort fast path: messages from different publishers can arrive out of order, twice,
 * or not at all. This class remembers the last sequence delivered: a duplicate (at or below it) is dropped;
 * the next one is delivered; one further ahead is held for {@code holdMillis} while the missing ones may
 * still arrive, then the gap is filled from the event store in order. If the store no longer holds the
 * missing range, {@code onLoss} runs (the owner ends its streams so that clients resume by cursor and
 * learn of the loss through {@code Last-Event-ID: earliest}). A periodic {@link #headObserved} catches a
 * lost update that no later update would reveal.
 *
 * <p>A new store epoch restarts the count. Leaving an epoch that was being delivered is a loss too: the old
 * epoch's history is gone (flushed, evicted, or gone backwards), so nothing can show that every update it
 * acknowledged was delivered (one may be late on the bus, or lost with it). {@code onLoss} then runs before
 * anything of the new epoch is delivered, with the new epoch's start as the place to resume from.
 *
 * <p>Event-loop confined: every method, and every callback, runs on the owner's event loop ({@code loop}).
 */
public final class Sequencer {

  /** Schedules one-shot timers on the owner's event loop. */
  public interface Timers {
    long schedule(long delayMillis, Runnable task);

    void cancel(long id);
  }

  /**
   * A declared loss.
   *
   * @param cause    why
   * @param count    how many updates are known lost (0: unknown)
   * @param resumeAt where a client resumes: the last place known delivered; the store's history after it is
   *                 replayed
   */
  public record Loss(LossCause cause, long count, Position resumeAt) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(Sequencer.class);
  private static final int MAX_HELD = 10_000;
  /** What the held updates may weigh by default: an eighth of the heap, at least 16 MiB. */
  static final long DEFAULT_MAX_HELD_BYTES = Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 8);
  private static final int MAX_RETIRED = 16;

  private final EventStore store;
  private final Timers timers;
  private final Executor loop;
  private final long holdMillis;
  private final Consumer<Update> deliver;
  private final Consumer<Loss> onLoss;
  private final TreeMap<Long, Update> held = new TreeMap<>();
  /** Beyond this weight of held updates, the newest are left to the store (large updates, a long gap fill). */
  private final long maxHeldBytes;
  private long heldBytes;
  private String epoch;
  /** Epochs already left, newest last (a few: a late message from any of them must not bring it back). */
  private final Set<String> retiredEpochs = new LinkedHashSet<>();
  private long last = -1;
  private boolean filling;
  private long holdTimer = -1;
  private long headSeen;
  private Runnable onGapFill = () -> { };
  private Runnable onEpochChange = () -> { };

  /**
   * @param onLoss told when updates may have been lost, and where to resume
   */
  public Sequencer(EventStore store, Timers timers, Executor loop, long holdMillis, Consumer<Update> deliver, Consumer<Loss> onLoss) {
    this(store, timers, loop, holdMillis, DEFAULT_MAX_HELD_BYTES, deliver, onLoss);
  }

  /**
   * @param maxHeldBytes what the updates held for a gap may weigh (their data) before the newest are left to the store
   */
  Sequencer(EventStore store, Timers timers, Executor loop, long holdMillis, long maxHeldBytes, Consumer<Update> deliver,
            Consumer<Loss> onLoss) {
    this.maxHeldBytes = maxHeldBytes;
    this.store = store;
    this.timers = timers;
    this.loop = loop;
    this.holdMillis = holdMillis;
    this.deliver = deliver;
    this.onLoss = onLoss;
  }

  /** Told each time a gap is filled from the store (for metrics). */
  public void onGapFill(Runnable listener) {
    this.onGapFill = listener;
  }

  /** Told when the store's epoch changes and sequences restart (streams forget the sequences they saw). */
  public void onEpochChange(Runnable listener) {
    this.onEpochChange = listener;
  }

  /** Starts counting from a known position (the store's head when the instance starts), unless already counting. */
  public void startAt(String epoch, long sequence) {
    if (last < 0) {
      if (this.epoch != null && !this.epoch.equals(epoch)) {
        clearHeld();
      }
      this.epoch = epoch;
      this.last = sequence;
      drainHeld();
    }
  }

  /** Takes an update from the bus. */
  public void accept(String updateEpoch, Update update) {
    long seq = update.sequence();
    if (last < 0) {
      // no position known (the store's head could not be read at start): collect what arrives for the hold
      // time, then start just before the lowest sequence seen, so that updates that overtook one another
      // on the bus are all delivered
      if (epoch != null && !epoch.equals(updateEpoch)) {
        clearHeld();
      }
      epoch = updateEpoch;
      hold(seq, update);
      armHoldTimer(holdMillis);
      return;
    }
    if (!updateEpoch.equals(epoch)) {
      if (retiredEpochs.contains(updateEpoch)) {
        return; // a late message from the epoch already left behind
      }
      enterEpoch(updateEpoch);
    }
    if (seq <= last || held.containsKey(seq)) {
      return;
    }
    if (seq == last + 1 && !filling) {
      emit(update);
      drainHeld();
      return;
    }
    hold(seq, update);
    if (held.size() > MAX_HELD) {
      fill(held.firstKey() - 1);
    } else if (heldBytes > maxHeldBytes) {
      shed();
    } else if (!filling) {
      armHoldTimer(holdMillis);
    }
  }

  /**
   * Told the store's head periodically. When the head stays ahead of what was delivered across two
   * observations, the missing tail is fetched from the store.
   */
  public void headObserved(String storeEpoch, long head) {
    if (last < 0 && held.isEmpty() && storeEpoch.isEmpty()) {
      // not counting yet, and the store is empty: every update to come is owed to the open streams
      startAt(storeEpoch, head);
    }
    epochObserved(storeEpoch);
    if (filling || !held.isEmpty() || last < 0 || !storeEpoch.equals(epoch)) {
      headSeen = 0;
      return;
    }
    if (head > last && headSeen > last) {
      fill(Math.min(head, headSeen));
    }
    headSeen = head;
  }

  /**
   * Told that the store answered in an epoch (a head read, a replay, an append): when it is a new one that no
   * bus message has announced here (the bus lost them, or nothing was published since the history was lost),
   * the old one is left now, whatever was held or being filled.
   */
  public void epochObserved(String storeEpoch) {
    if (last >= 0 && !storeEpoch.isEmpty() && !storeEpoch.equals(epoch) && !retiredEpochs.contains(storeEpoch)) {
      enterEpoch(storeEpoch);
    }
  }

  /**
   * A new epoch numbers its updates from 1, and every one of them is owed to the open streams: an update
   * that overtook its predecessors must not hide them (they are held for, then filled from the store).
   */
  private void enterEpoch(String newEpoch) {
    boolean delivering = !epoch.isEmpty();
    if (delivering) {
      LOG.warn("event store epoch changed (history flushed, evicted or gone backwards); sequences restart");
    }
    retiredEpochs.add(epoch);
    if (retiredEpochs.size() > MAX_RETIRED) {
      retiredEpochs.remove(retiredEpochs.iterator().next());
    }
    resetTo(newEpoch, 0);
    onEpochChange.run();
    if (delivering) {
      onLoss.accept(new Loss(LossCause.EPOCH, 0, new Position(newEpoch, 0)));
    }
  }

  private void resetTo(String newEpoch, long lastSequence) {
    epoch = newEpoch;
    last = lastSequence;
    clearHeld();
    headSeen = 0;
  }

  /** Fetches (last, until] from the store and delivers it, then what was held. */
  private void fill(long until) {
    if (filling || until <= last) {
      drainHeld();
      return;
    }
    filling = true;
    if (holdTimer >= 0) {
      timers.cancel(holdTimer);
      holdTimer = -1;
    }
    String fillEpoch = epoch;
    long from = last;
    store.range(fillEpoch, from, until).onComplete(ar -> loop.execute(() -> {
      filling = false;
      if (!fillEpoch.equals(epoch)) {
        drainHeld(); // updates of the new epoch that arrived during the fill
        return;
      }
      if (ar.failed()) {
        LOG.warn("could not fill sequences {}..{} from the store: {}", from + 1, until, ar.cause().getMessage());
        retryLater();
        return;
      }
      onGapFill.run();
      List<Update> missing = ar.result();
      for (Update u : missing) {
        if (u.sequence() == last + 1) {
          emit(u);
        }
      }
      if (last < until) {
        long lost = until - last;
        LOG.warn("{} update(s) after sequence {} are gone from the store; closing streams so they resume by cursor", lost, last);
        Position resumeAt = new Position(epoch, last); // the replay brings whatever the store still holds after it
        last = until;
        onLoss.accept(new Loss(LossCause.GAP, lost, resumeAt));
      }
      drainHeld();
    }));
  }

  private void retryLater() {
    if (held.size() > MAX_HELD) {
      long until = held.lastKey();
      long lost = until - last - held.size();
      Position resumeAt = new Position(epoch, last);
      last = until;
      clearHeld();
      onLoss.accept(new Loss(LossCause.GAP, Math.max(lost, 1), resumeAt));
      return;
    }
    armHoldTimer(Math.max(holdMillis, 500));
  }

  /** After the delay, fills up to the first held update, unless a timer is already armed. */
  private void armHoldTimer(long delayMillis) {
    if (holdTimer >= 0) {
      return;
    }
    holdTimer = timers.schedule(delayMillis, () -> {
      holdTimer = -1;
      if (held.isEmpty()) {
        return;
      }
      if (last < 0) {
        last = held.firstKey() - 1;
        drainHeld();
      } else {
        fill(held.firstKey() - 1);
      }
    });
  }

  private void drainHeld() {
    while (!held.isEmpty()) {
      Map.Entry<Long, Update> first = held.firstEntry();
      if (first.getKey() <= last) {
        pollHeld();
      } else if (first.getKey() == last + 1) {
        pollHeld();
        emit(first.getValue());
      } else {
        if (!filling) {
          armHoldTimer(holdMillis);
        }
        return;
      }
    }
  }

  /**
   * Too much held: the newest held updates are dropped here and left to the store, like any update this instance
   * missed: the gap they leave is filled from the store once the updates before them are delivered.
   */
  private void shed() {
    while (heldBytes > maxHeldBytes && held.size() > 1) {
      heldBytes -= weight(held.pollLastEntry().getValue());
    }
    if (!filling) {
      fill(held.firstKey() - 1);
    }
  }

  private void hold(long seq, Update update) {
    if (held.putIfAbsent(seq, update) == null) {
      heldBytes += weight(update);
    }
  }

  private void pollHeld() {
    heldBytes -= weight(held.pollFirstEntry().getValue());
  }

  private void clearHeld() {
    held.clear();
    heldBytes = 0;
  }

  /** What a held update weighs: its data (two bytes a character at most) and a little for the rest. */
  private static long weight(Update update) {
    return 2L * update.data().length() + 256;
  }

  /** The weight of the updates held now (for tests). */
  long heldBytes() {
    return heldBytes;
  }

  private void emit(Update update) {
    last = update.sequence();
    deliver.accept(update);
  }
}
