package io.quicksilver.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.mercure.Update;
import io.quicksilver.support.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/** The Redis history against the {@link EventStoreContract}, plus what only Redis has (index, epochs, outages). */
@Timeout(120)
class RedisEventStoreTest extends EventStoreContract {

  private static RedisServer redis;
  private static Vertx vertx;

  /** Stores opened by the Redis-specific tests (the contract closes its own). */
  private final List<EventStore> opened = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (redis != null) {
      redis.stop();
    }
  }

  @AfterEach
  void closeOpened() throws Exception {
    for (EventStore s : opened) {
      await(s.close());
    }
  }

  @Override
  protected EventStore newStore(int capacity) {
    return startStore(redis, uniquePrefix(), capacity, Duration.ofSeconds(2));
  }

  private static String uniquePrefix() {
    return "qs-test-" + UUID.randomUUID();
  }

  private static RedisEventStore startStore(RedisServer server, String prefix, int capacity, Duration timeout) {
    RedisEventStore s = new RedisEventStore(vertx, server.url(), prefix, capacity, timeout);
    try {
      await(s.start());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return s;
  }

  /** A started store under a prefix, closed after the test. */
  private RedisEventStore open(String prefix, int capacity) {
    RedisEventStore s = startStore(redis, prefix, capacity, Duration.ofSeconds(2));
    opened.add(s);
    return s;
  }

  private static long cliLong(RedisServer server, String... args) {
    String out = server.cli(args);
    try {
      return Long.parseLong(out.trim());
    } catch (NumberFormatException e) {
      throw new AssertionError("redis-cli " + String.join(" ", args) + " answered [" + out + "]");
    }
  }

  /** Appends updates with ids {@code <prefix><i>}, i in [from, to], up to {@code window} in flight; returns the ids by sequence. */
  private static List<String> appendConcurrently(EventStore s, String idPrefix, int from, int to, int window) throws Exception {
    List<String> bySequence = new ArrayList<>();
    for (int start = from; start <= to; start += window) {
      List<Future<Update>> batch = new ArrayList<>();
      for (int i = start; i < Math.min(to + 1, start + window); i++) {
        batch.add(s.append(update(idPrefix + i)));
      }
      for (Future<Update> f : batch) {
        Update u = f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        int index = (int) u.sequence() - 1;
        while (bySequence.size() <= index) {
          bySequence.add(null);
        }
        assertEquals(null, bySequence.set(index, u.id()), "sequence " + u.sequence() + " assigned twice");
      }
    }
    return bySequence;
  }

  /** Appends until one succeeds (bounded): a cold connection on a loaded machine may miss a short deadline. */
  private static void warmUp(EventStore s) throws Exception {
    boolean warm = false;
    for (int attempt = 0; attempt < 20 && !warm; attempt++) {
      warm = s.append(update("warm-" + attempt)).toCompletionStage().toCompletableFuture()
          .handle((u, err) -> err == null).get(10, TimeUnit.SECONDS);
    }
    assertTrue(warm, "an append succeeds while Redis is up");
  }

  /** Verifies that the id index is trimmed together with the stream: HLEN of the index equals XLEN of the stream after many appends. */
  @Test
  void idIndexTrimmedWithStream() throws Exception {
    for (int capacity : new int[] {1, 100, 1000}) {
      String prefix = uniquePrefix();
      RedisEventStore s = open(prefix, capacity);
      appendConcurrently(s, "i", 1, 3 * capacity + 17, 64);
      long xlen = cliLong(redis, "XLEN", "{" + prefix + "}:stream");
      long hlen = cliLong(redis, "HLEN", "{" + prefix + "}:ids");
      int slack = Math.max(1, Math.min(1000, capacity / 100));
      assertTrue(xlen >= capacity && xlen <= capacity + slack, "capacity " + capacity + ": stream holds " + xlen);
      assertEquals(xlen, hlen, "capacity " + capacity + ": index entries vs stream entries");
    }
  }

  /** How many append script runs Redis has served so far (every script of this class goes by digest once loaded). */
  private static long scriptRuns() {
    return redis.cli("INFO", "commandstats").lines().filter(l -> l.startsWith("cmdstat_evalsha:")).findFirst()
        .map(l -> Long.parseLong(l.substring(l.indexOf("calls=") + 6, l.indexOf(',')))).orElse(0L);
  }

  /** Appends many at once (they go in a few runs), and answers them by sequence, with the epoch of each answer. */
  private static List<EventStore.Appended> burst(EventStore s, List<Update> updates) throws Exception {
    return answered(updates.stream().map(s::add).toList());
  }

  /** The answers of appends made together, by sequence. */
  private static List<EventStore.Appended> answered(List<Future<EventStore.Appended>> answers) throws Exception {
    List<EventStore.Appended> out = new ArrayList<>();
    for (Future<EventStore.Appended> f : answers) {
      out.add(f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    }
    out.sort(java.util.Comparator.comparingLong(a -> a.update().sequence()));
    return out;
  }

  /** Updates with ids {@code <prefix>0} to {@code <prefix><n - 1>}. */
  private static List<Update> updates(String idPrefix, int n) {
    List<Update> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(update(idPrefix + i));
    }
    return out;
  }

  /** Asserts that answers (by sequence) hold the sequences 1 to n, all in one epoch. */
  private static void assertDenseInOneEpoch(List<EventStore.Appended> answers, String epoch) {
    for (int i = 0; i < answers.size(); i++) {
      assertEquals(i + 1, answers.get(i).update().sequence(), "dense sequences from 1");
      assertEquals(epoch, answers.get(i).epoch(), "one epoch");
    }
  }

  /**
   * Verifies that the appends made in one event-loop iteration (the publishes a hub read together) go in one script
   * run, not the first few alone while runs are free (at most one more run: the store's probe, once a second).
   */
  @Test
  void appendsOfOneIterationGoInOneRun() throws Exception {
    RedisEventStore s = open(uniquePrefix(), 1000);
    long runsBefore = scriptRuns();
    CompletableFuture<List<Future<EventStore.Appended>>> made = new CompletableFuture<>();
    vertx.runOnContext(v -> made.complete(updates("it", 64).stream().map(s::add).toList()));
    List<EventStore.Appended> answers = answered(made.get(10, TimeUnit.SECONDS));
    long runs = scriptRuns() - runsBefore;
    assertTrue(runs <= 2, "64 appends made in one iteration went in " + runs + " runs");
    assertDenseInOneEpoch(answers, answers.get(0).epoch());
  }

  /**
   * Verifies that runs of appends crossing the capacity several times over leave exactly what appends one at a
   * time leave: the newest capacity updates replayable, the stream trimmed within the slack, and the id and topic
   * indexes holding exactly the entries of the stream.
   */
  @Test
  void runsCrossingTheCapacity() throws Exception {
    String prefix = uniquePrefix();
    int capacity = 10;
    RedisEventStore s = open(prefix, capacity);
    long runsBefore = scriptRuns();
    List<EventStore.Appended> answers = burst(s, updates("c", 64));
    assertTrue(scriptRuns() - runsBefore < 64, "the appends went in runs of several: " + (scriptRuns() - runsBefore) + " runs");
    assertDenseInOneEpoch(answers, answers.get(0).epoch());
    List<String> newest = answers.subList(64 - capacity, 64).stream().map(a -> a.update().id()).toList();
    assertEquals(newest, ids(await(s.readAfter(EventStore.EARLIEST, 100)).updates()));
    long xlen = cliLong(redis, "XLEN", "{" + prefix + "}:stream");
    assertTrue(xlen >= capacity && xlen <= capacity + 1, "the stream holds " + xlen);
    assertEquals(xlen, cliLong(redis, "HLEN", "{" + prefix + "}:ids"), "id index entries vs stream entries");
    assertEquals(2 * xlen, cliLong(redis, "ZCARD", "{" + prefix + "}:topics"), "topic index entries (two topics each) vs stream entries");
    String last = newest.get(capacity - 1);
    assertEquals(List.of(last), ids(await(s.readAfter(EventStore.EARLIEST, 100, Set.of("urn:alt:" + last))).updates()));
    assertEquals(List.of(), ids(await(s.readAfter(EventStore.EARLIEST, 100, Set.of("urn:alt:" + answers.get(0).update().id()))).updates()));
  }

  /**
   * Verifies that ids held several times within runs (and across the capacity) resolve as in the in-memory store,
   * appended one at a time in the same order: to the earliest entry still replayable.
   */
  @Test
  void idsHeldSeveralTimesWithinRuns() throws Exception {
    for (int capacity : new int[] {10, 100}) {
      RedisEventStore s = open(uniquePrefix(), capacity);
      List<Update> updates = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        updates.add(i % 4 == 3 ? update("u" + i) : update("d" + i % 3));
      }
      List<EventStore.Appended> answers = burst(s, updates);
      InMemoryEventStore reference = new InMemoryEventStore(capacity);
      for (EventStore.Appended a : answers) {
        await(reference.append(update(a.update().id())));
      }
      for (String id : List.of("d0", "d1", "d2", "u3", "u63")) {
        assertEquals(await(reference.readAfter(id, 1000)), await(s.readAfter(id, 1000)), "capacity " + capacity + ", after " + id);
      }
    }
  }

  /**
   * Verifies that when the history is gone (FLUSHALL) under a burst of appends, the run that first finds it gone starts
   * the new epoch and every append of the burst lands in it, in order from 1.
   */
  @Test
  void newEpochUnderABurst() throws Exception {
    String prefix = uniquePrefix();
    RedisEventStore s = open(prefix, 100);
    append(s, "a", "b", "c");
    String before = s.epoch();
    assertEquals("OK", redis.cli("FLUSHALL"));
    List<EventStore.Appended> answers = burst(s, updates("f", 64));
    String after = answers.get(0).epoch();
    assertNotEquals(before, after);
    assertDenseInOneEpoch(answers, after);
    assertEquals(new EventStore.Head(after, 64), await(s.head()));
    assertEquals(64, await(s.readAfter(EventStore.EARLIEST, 1000)).updates().size());
  }

  /** Verifies that FLUSHALL starts a new epoch: old cursors become UNKNOWN and sequences restart from 1. */
  @Test
  void flushStartsNewEpoch() throws Exception {
    String prefix = uniquePrefix();
    RedisEventStore s = open(prefix, 100);
    append(s, "a", "b", "c");
    String before = s.epoch();
    assertFalse(before.isEmpty());
    assertEquals(before, await(s.head()).epoch());

    assertEquals("OK", redis.cli("FLUSHALL"));
    assertEquals(new Replay(Replay.Cursor.UNKNOWN, List.of(), 0), await(s.readAfter("b", 100)));
    assertEquals(0, await(s.head()).sequence());

    Update d = await(s.append(update("d")));
    assertEquals(1, d.sequence(), "sequences restart");
    String after = s.epoch();
    assertFalse(after.isEmpty());
    assertNotEquals(before, after, "a new epoch");
    assertEquals(new EventStore.Head(after, 1), await(s.head()));
    assertEquals(new Replay(Replay.Cursor.UNKNOWN, List.of(), 1), await(s.readAfter("b", 100)));
    assertEquals(new Replay(Replay.Cursor.UNKNOWN, List.of(), 1), await(s.readAfter("c", 100)));
    assertEquals(new Replay(Replay.Cursor.EARLIEST, List.of(d), 1), await(s.readAfter(EventStore.EARLIEST, 100)));
    assertEquals(new Replay(Replay.Cursor.FOUND, List.of(), 1), await(s.readAfter("d", 100)));
    assertEquals(2, await(s.append(update("e"))).sequence());
    assertEquals(after, s.epoch());
  }

  /** Verifies that a second store on the same prefix (a restarted hub) shares the epoch, the sequence and the history. */
  @Test
  void historySurvivesAReopenedStore() throws Exception {
    String prefix = uniquePrefix();
    RedisEventStore first = open(prefix, 100);
    append(first, "a", "b", "c");
    String epoch = first.epoch();
    await(first.close());
    opened.remove(first);

    RedisEventStore second = open(prefix, 100);
    assertEquals(new EventStore.Head(epoch, 3), await(second.head()));
    Replay r = await(second.readAfter("a", 100));
    assertEquals(Replay.Cursor.FOUND, r.cursor());
    assertEquals(List.of("b", "c"), r.updates().stream().map(Update::id).toList());
    assertEquals(4, await(second.append(update("d"))).sequence());
    assertEquals(epoch, second.epoch());
  }

  /** Verifies that a cursor in the middle of a 50 000-update history replays exactly the updates after it. */
  @Test
  void cursorInTheMiddleOfALargeHistory() throws Exception {
    int n = 50_000;
    String prefix = uniquePrefix();
    RedisEventStore s = open(prefix, 100_000);
    List<String> bySequence = appendConcurrently(s, "m", 1, n, 1000);
    assertEquals(n, bySequence.size());
    assertEquals(n, cliLong(redis, "XLEN", "{" + prefix + "}:stream"));
    assertEquals(n, cliLong(redis, "HLEN", "{" + prefix + "}:ids"));

    String cursor = bySequence.get(25_000 - 1); // sequence 25 000
    Replay r = await(s.readAfter(cursor, 100));
    assertEquals(Replay.Cursor.FOUND, r.cursor());
    assertEquals(n, r.headSequence());
    assertEquals(bySequence.subList(25_000, 25_100), r.updates().stream().map(Update::id).toList());
    assertEquals(25_001, r.updates().get(0).sequence());

    Replay rest = await(s.readAfter(cursor, n));
    assertEquals(25_000, rest.updates().size());
    assertEquals(bySequence.subList(25_000, n), rest.updates().stream().map(Update::id).toList());
    assertEquals(new Replay(Replay.Cursor.FOUND, List.of(), n), await(s.readAfter(bySequence.get(n - 1), 100)));
  }

  /** Verifies that earliest returns no more than the stream holds, capped at the capacity, and ends at the head. */
  @Test
  void earliestCappedByStreamSize() throws Exception {
    String prefix = uniquePrefix();
    int capacity = 200;
    RedisEventStore s = open(prefix, capacity);
    List<String> bySequence = appendConcurrently(s, "e", 1, 1001, 50);
    long xlen = cliLong(redis, "XLEN", "{" + prefix + "}:stream");
    Replay r = await(s.readAfter(EventStore.EARLIEST, 1_000_000));
    assertEquals(Replay.Cursor.EARLIEST, r.cursor());
    assertTrue(r.updates().size() <= xlen, r.updates().size() + " > stream " + xlen);
    assertEquals(capacity, r.updates().size());
    assertEquals(bySequence.subList(1001 - capacity, 1001), r.updates().stream().map(Update::id).toList());
    assertEquals(1001, r.headSequence());
  }

  /**
   * Verifies that an append made as Redis dies ends, within the verdict window, as not stored or as unknown (never
   * as stored), that the store then turns unready and refuses appends at once, and that it recovers when Redis is
   * back.
   *
   * <p>Which of the two failures is a race the store cannot win: the client may not have seen the connection close
   * yet when the append goes, and an append written on it may have reached Redis before it died. The store then
   * asks Redis for a verdict, which a dead Redis never gives: the outcome is unknown after ten deadlines.
   */
  @Test
  void outageFailsAppendsAndRecovers() throws Exception {
    Duration timeout = Duration.ofMillis(500);
    RedisServer own = RedisServer.start();
    RedisEventStore s = startStore(own, uniquePrefix(), 100, timeout);
    try {
      warmUp(s);
      assertTrue(s.ready());
      own.stop();
      long verdictWindowMs = timeout.toMillis() * RedisEventStore.VERDICT_DEADLINES;
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> s.append(update("b")).toCompletionStage().toCompletableFuture().get(2 * verdictWindowMs, TimeUnit.MILLISECONDS),
          "an append to a dead Redis is never stored, and ends within the verdict window (awaited twice that: a loaded machine)");
      assertTrue(failed.getCause() instanceof NotStoredException || failed.getCause() instanceof OutcomeUnknownException,
          "not stored, or unknown: " + failed.getCause());
      assertFalse(s.ready(), "unready once an append failed on the connection");
      Future<Update> refused = s.append(update("b2"));
      assertTrue(refused.failed() && refused.cause() instanceof NotStoredException,
          "refused at once while Redis is known unreachable: " + refused.cause());

      own.startProcess();
      Update c = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      for (int attempt = 0; attempt < 100 && c == null && System.nanoTime() < deadline; attempt++) {
        try {
          c = s.append(update("c")).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          Thread.sleep(100); // bounded retry
        }
      }
      assertTrue(c != null, "appends resume after Redis is back");
      assertEquals(1, c.sequence(), "a restarted Redis without persistence is a new epoch");
      assertTrue(s.ready());
    } finally {
      await(s.close());
      own.stop();
    }
  }

  /** Appends until one succeeds (bounded): after a restart the pooled connections fail first. */
  private static Update appendEventually(EventStore s, String id) throws Exception {
    Exception last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        return s.append(update(id)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw new AssertionError("no append succeeded", last);
  }

  /** The head, once Redis answers (bounded). */
  private static EventStore.Head headEventually(EventStore s) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        return s.head().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("Redis did not answer");
  }

  /**
   * Verifies that a Redis restarted from an older snapshot (its counter back below what this store saw) is
   * a new epoch: sequences restart, cursors of the old one are unknown.
   */
  @Test
  void snapshotRewindStartsNewEpoch() throws Exception {
    RedisServer own = RedisServer.start();
    RedisEventStore s = startStore(own, uniquePrefix(), 100, Duration.ofSeconds(2));
    try {
      warmUp(s);
      append(s, "a", "b");
      assertEquals("OK", own.cli("SAVE"));
      append(s, "c", "d");
      String before = await(s.head()).epoch();
      own.shutdownNoSave();
      own.startProcess();
      EventStore.Head head = headEventually(s);
      assertNotEquals(before, head.epoch(), "the rewind is a new epoch");
      assertEquals(0, head.sequence());
      assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("a", 100)).cursor());
      assertEquals(1, appendEventually(s, "e").sequence());
    } finally {
      await(s.close());
      own.stop();
    }
  }

  /**
   * Verifies that a sequence that now names another update (written lost in a failover, then reused by another
   * node that had not seen it) is a new epoch for the node that saw the lost one.
   */
  @Test
  void reusedSequenceStartsNewEpoch() throws Exception {
    String prefix = uniquePrefix();
    RedisEventStore a = open(prefix, 100);
    RedisEventStore b = open(prefix, 100);
    append(a, "x1");
    await(b.head()); // b saw x1 at 1
    append(a, "x2"); // a saw x2 at 2
    String before = a.epoch();
    // the write of x2 is lost (as on a replica promoted before it received it)
    redis.cli("XDEL", "{" + prefix + "}:stream", "2-0");
    redis.cli("XSETID", "{" + prefix + "}:stream", "1-0");
    redis.cli("DECR", "{" + prefix + "}:seq");
    redis.cli("HDEL", "{" + prefix + "}:ids", "x2");
    assertEquals(2, await(b.append(update("y"))).sequence(), "b cannot tell: the counter is where it saw it");
    EventStore.Head head = await(a.head());
    assertNotEquals(before, head.epoch(), "a saw x2 at 2, which now names y: the history went backwards");
    assertEquals(0, head.sequence());
  }

  /** Verifies that a history whose counter or stream was evicted is a new epoch. */
  @Test
  void evictedKeysStartNewEpoch() throws Exception {
    for (String evicted : List.of("seq", "stream")) {
      String prefix = uniquePrefix();
      RedisEventStore s = open(prefix, 100);
      append(s, "a", "b");
      String before = s.epoch();
      redis.cli("DEL", "{" + prefix + "}:" + evicted);
      EventStore.Head head = await(s.head());
      assertNotEquals(before, head.epoch(), evicted + " evicted");
      assertEquals(0, head.sequence());
      assertEquals(1, await(s.append(update("c"))).sequence());
    }
  }

  /** Verifies that a cancelled append never runs, and that a cancel after the append reports it as stored. */
  @Test
  void cancelDecidesOnce() throws Exception {
    String prefix = uniquePrefix();
    RedisEventStore s = open(prefix, 100);
    append(s, "a");
    String epoch = s.epoch();
    String run = runId();
    List<String> keys = RedisEventStore.keys(prefix);

    assertEquals("0", cancel(keys, "n-1", epoch, run), "nothing ran yet: cancelled");
    assertEquals("-1", appendScript(keys, "b", "n-1", epoch).lines().findFirst().orElseThrow(), "a cancelled append is refused");
    assertEquals("", redis.cli("HGET", keys.get(1), "b"), "and wrote nothing");

    assertEquals("2", appendScript(keys, "c", "n-2", epoch).lines().findFirst().orElseThrow());
    assertEquals(List.of("1", "2", epoch), cancel3(keys, "n-2", epoch, run), "a cancel after the append reports it stored");
    assertEquals("2", cancel(keys, "n-3", epoch, "another-run-id"), "another server process: it cannot tell");
    assertEquals("2", cancel(keys, "n-3", "another-epoch", run), "another epoch: it cannot tell");
  }

  private static String cancel(List<String> keys, String nonce, String epoch, String run) {
    return cancel3(keys, nonce, epoch, run, "0", false).get(0);
  }

  private static List<String> cancel3(List<String> keys, String nonce, String epoch, String run) {
    return cancel3(keys, nonce, epoch, run, "0", false);
  }

  private static List<String> cancel3(List<String> keys, String nonce, String epoch, String run, String knownSequence, boolean hub) {
    List<String> args = new ArrayList<>(List.of("EVAL", RedisEventStore.CANCEL, String.valueOf(keys.size())));
    args.addAll(keys);
    args.addAll(List.of(nonce, epoch, run, knownSequence, hub ? "1" : "0"));
    return redis.cli(args.toArray(String[]::new)).lines().toList();
  }

  private static String runId() {
    return redis.cli("INFO", "server").lines().filter(l -> l.startsWith("run_id:")).findFirst().orElseThrow().substring(7).trim();
  }

  /**
   * Verifies that a cancel of a hub event cannot tell when hub events appended since it was sent may have been
   * deleted by newer ones (the append may have run and its entry gone), and cancels it when none can have been.
   */
  @Test
  void cancelOfAHubEventAfterDeletions() throws Exception {
    String prefix = uniquePrefix();
    RedisEventStore s = open(prefix, 2);
    append(s, "a");
    String epoch = s.epoch();
    List<String> keys = RedisEventStore.keys(prefix);
    assertEquals("0", cancel3(keys, "h-0", epoch, runId(), "1", true).get(0), "no hub event since: cancelled");
    for (int i = 1; i <= 3; i++) {
      await(s.append(hubEvent("h" + i))); // the third deletes the first (sequence 2)
    }
    assertEquals("2", cancel3(keys, "h-1", epoch, runId(), "1", true).get(0), "a hub event after 1 was deleted: it cannot tell");
    assertEquals("0", cancel3(keys, "u-1", epoch, runId(), "1", false).get(0), "updates are never deleted: cancelled");
    assertEquals("0", cancel3(keys, "h-2", epoch, runId(), "2", true).get(0), "nothing deleted after 2: cancelled");
  }

  /**
   * Verifies that a hub event a node observed at the head, deleted since by newer hub events (appended through
   * another node), is no rewind: the epoch and the history stay.
   */
  @Test
  void deletedHubEventIsNoRewind() throws Exception {
    String prefix = uniquePrefix();
    RedisEventStore a = open(prefix, 2);
    RedisEventStore b = open(prefix, 2);
    append(a, "u1");
    await(a.append(hubEvent("h1"))); // a saw h1 at 2
    for (int i = 2; i <= 4; i++) {
      await(b.append(hubEvent("h" + i))); // deletes h1, then h2
    }
    String epoch = a.epoch();
    EventStore.Head head = await(a.head());
    assertEquals(new EventStore.Head(epoch, 5), head, "the same epoch");
    assertEquals(List.of("u1", "h3", "h4"), ids(await(a.readAfter(EventStore.EARLIEST, 100)).updates()));
    assertEquals(6, await(a.append(update("u2"))).sequence());
    assertEquals(epoch, a.epoch());
  }

  /**
   * Verifies that a history written before the lanes existed (no floor) replays its newest capacity entries, and
   * that the first append starts the lanes there.
   */
  @Test
  void historyWithoutLanesIsTakenOver() throws Exception {
    String prefix = uniquePrefix();
    RedisEventStore s = open(prefix, 3);
    append(s, "a", "b", "c", "d", "e");
    redis.cli("DEL", RedisEventStore.key(prefix, "floor"), RedisEventStore.key(prefix, "real"), RedisEventStore.key(prefix, "hubq"));
    assertEquals(List.of("c", "d", "e"), ids(await(s.readAfter(EventStore.EARLIEST, 100)).updates()));
    assertEquals(List.of("d", "e"), ids(await(s.readAfter("c", 100)).updates()));
    append(s, "f");
    assertEquals(List.of("d", "e", "f"), ids(await(s.readAfter(EventStore.EARLIEST, 100)).updates()));
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("c", 100)).cursor());
  }

  private static Update on(String id, String topic) {
    return new Update(0, id, List.of(topic), "data of " + id, false, null, null);
  }

  /** The ids of a replay by topic that hold the topic (outside the index a replay may hold others too). */
  private static List<String> holding(Replay replay, String topic) {
    return replay.updates().stream().filter(u -> u.topics().contains(topic)).map(Update::id).toList();
  }

  /**
   * Verifies that a replay by topic is complete over a history the index does not cover: written before it
   * existed (no index keys), or holding an entry appended by a node without it (after the newest indexed entry,
   * then, once indexed appends resume, before the index's new start).
   */
  @Test
  void replayByTopicOutsideTheIndex() throws Exception {
    String prefix = uniquePrefix();
    RedisEventStore s = open(prefix, 100);
    for (Update u : List.of(on("a", "X"), on("b", "Y"), on("c", "X"))) {
      await(s.append(u));
    }
    redis.cli("DEL", RedisEventStore.key(prefix, "topics"), RedisEventStore.key(prefix, "tfrom"), RedisEventStore.key(prefix, "tlast"));
    assertEquals(List.of("a", "c"), holding(await(s.readAfter(EventStore.EARLIEST, 100, Set.of("X"))), "X"));
    await(s.append(on("d", "X")));
    assertEquals(List.of("a", "c", "d"), holding(await(s.readAfter(EventStore.EARLIEST, 100, Set.of("X"))), "X"));
    assertEquals(List.of("d"), ids(await(s.readAfter("c", 100, Set.of("X"))).updates()));

    await(s.append(on("e", "X")));
    // e as a node without the index would have appended it: not in the index, the index's end before it
    redis.cli("ZREM", RedisEventStore.key(prefix, "topics"), RedisEventStore.topicHash("X") + ":" + String.format("%016x", 5));
    redis.cli("SET", RedisEventStore.key(prefix, "tlast"), "4");
    assertEquals(List.of("a", "c", "d", "e"), holding(await(s.readAfter(EventStore.EARLIEST, 100, Set.of("X"))), "X"));
    await(s.append(on("f", "X")));
    assertEquals(List.of("a", "c", "d", "e", "f"), holding(await(s.readAfter(EventStore.EARLIEST, 100, Set.of("X"))), "X"));
    assertEquals(List.of("e", "f"), holding(await(s.readAfter("d", 100, Set.of("X"))), "X"));
    assertEquals(List.of("f"), ids(await(s.readAfter("e", 100, Set.of("X"))).updates()));
  }

  private static String appendScript(List<String> keys, String id, String nonce, String epoch) {
    List<String> args = new ArrayList<>(List.of("EVAL", RedisEventStore.APPEND_BATCH, String.valueOf(keys.size())));
    args.addAll(keys);
    args.addAll(List.of(UUID.randomUUID().toString(), epoch, "0", "", "0", "100", "1", id, RedisEventStore.encode(update(id)), nonce, "0",
        RedisEventStore.topicHashes(update(id).topics())));
    return redis.cli(args.toArray(String[]::new));
  }

  /**
   * Verifies that appends sent while Redis is paused past the deadline end, once it answers again, with a
   * final outcome that Redis agrees with: stored (and in the history), or not stored (and never appended).
   */
  @Test
  void stalledAppendsHaveFinalOutcomes() throws Exception {
    RedisServer own = RedisServer.start();
    String prefix = uniquePrefix();
    RedisEventStore s = startStore(own, prefix, 100, Duration.ofMillis(200));
    try {
      warmUp(s);
      assertEquals("OK", own.cli("CLIENT", "PAUSE", "1000", "ALL"));
      long t0 = System.nanoTime();
      List<CompletableFuture<Boolean>> outcomes = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        outcomes.add(s.append(update("p" + i)).toCompletionStage().toCompletableFuture()
            .handle((u, err) -> {
              assertTrue(err == null || err instanceof NotStoredException, String.valueOf(err));
              return err == null;
            }));
      }
      List<Boolean> stored = new ArrayList<>();
      for (CompletableFuture<Boolean> f : outcomes) {
        stored.add(f.get(10, TimeUnit.SECONDS));
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(ms < 1900, "every outcome within the verdict window (2 s): " + ms + " ms");
      warmUp(s); // anything still queued in Redis has run by now
      for (int i = 0; i < 5; i++) {
        String seq = own.cli("HGET", "{" + prefix + "}:ids", "p" + i);
        assertEquals(stored.get(i), !seq.isEmpty(), "p" + i + ": the answer and Redis agree (" + stored + ")");
      }
    } finally {
      await(s.close());
      own.stop();
    }
  }

  /** Verifies that an append Redis says nothing about for ten deadlines fails as unknown, not as refused. */
  @Test
  void silentRedisIsAnUnknownOutcome() throws Exception {
    RedisServer own = RedisServer.start();
    RedisEventStore s = startStore(own, uniquePrefix(), 100, Duration.ofMillis(100));
    try {
      warmUp(s);
      assertEquals("OK", own.cli("CLIENT", "PAUSE", "2500", "ALL"));
      long t0 = System.nanoTime();
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> s.append(update("q")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(e.getCause() instanceof OutcomeUnknownException, String.valueOf(e.getCause()));
      assertTrue(ms >= 900 && ms < 2400, "unknown after ten deadlines (1 s), before Redis answers: " + ms + " ms");
      assertFalse(s.ready(), "unready while Redis does not answer");
      ExecutionException refused = assertThrows(ExecutionException.class,
          () -> s.append(update("r")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertTrue(refused.getCause() instanceof NotStoredException, "refused at once while unready: " + refused.getCause());
    } finally {
      await(s.close());
      own.stop();
    }
  }
}
