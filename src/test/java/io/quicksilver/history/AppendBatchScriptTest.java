package io.quicksilver.history;

import static io.quicksilver.support.RedisFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.RedisFixture;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The batch append script against the scripts it replaces ({@link AppendOneByOne}): the same runs, on three
 * histories, one always run by the old script, one by the new, one by either at random (two node versions sharing
 * one Redis), must answer the same and leave the same keys, entry for entry. The runs are drawn at random (seeded):
 * small capacities so that runs cross them, hub events, ids held several times (in one run too), repeated and
 * cancelled nonces, and the history changed between runs as Redis can change it (keys evicted or flushed, a
 * counter behind its stream, a rewind this node saw, a history written before the lanes or the topic index).
 */
@Timeout(120)
class AppendBatchScriptTest {

  private static RedisFixture redis;

  @BeforeAll
  static void start() {
    redis = RedisFixture.start((vertx, url) -> RedisEventStore.client(vertx, url, Duration.ofSeconds(5)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  private static Response send(Command command, Object... args) throws Exception {
    Request request = Request.cmd(command);
    for (Object a : args) {
      request.arg(String.valueOf(a));
    }
    return await(redis.client().send(request));
  }

  /** One append of a run: the five arguments the store sends for it. */
  private record Entry(String id, String payload, String nonce, boolean hub, String topics) {
  }

  /** What a node observed last (ARGV[2..5]). */
  private record Known(String epoch, long sequence, String id, boolean hub) {
    static final Known NOTHING = new Known("", 0, "", false);
  }

  /** Runs a script over a history: ARGV as the store sends them. */
  private static Response run(String script, String prefix, String fresh, Known known, int capacity, int slack, List<Entry> entries)
      throws Exception {
    List<Object> args = new ArrayList<>(List.of(script, RedisEventStore.KEY_NAMES.size()));
    args.addAll(RedisEventStore.keys(prefix));
    args.addAll(List.of(fresh, known.epoch(), known.sequence(), known.id(), known.hub() ? "1" : "0", capacity, slack));
    for (Entry e : entries) {
      args.addAll(List.of(e.id(), e.payload(), e.nonce(), e.hub() ? "1" : "0", e.topics()));
    }
    return send(Command.EVAL, args.toArray());
  }

  /** Every key of a history, by name, with what Redis holds there (the stream with its last id). */
  private static TreeMap<String, String> snapshot(String prefix) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    for (String name : RedisEventStore.KEY_NAMES) {
      String key = RedisEventStore.key(prefix, name);
      String type = send(Command.TYPE, key).toString();
      String value = switch (type) {
        case "none" -> "";
        case "string" -> send(Command.GET, key).toString();
        case "hash" -> new TreeMap<>(pairs(send(Command.HGETALL, key))).toString();
        case "zset" -> send(Command.ZRANGE, key, 0, -1, "WITHSCORES").toString();
        case "list" -> send(Command.LRANGE, key, 0, -1).toString();
        case "stream" -> send(Command.XRANGE, key, "-", "+") + " last " + lastId(send(Command.XINFO, "STREAM", key));
        default -> throw new AssertionError(name + " is a " + type);
      };
      out.put(name, type + " " + value);
    }
    return out;
  }

  private static TreeMap<String, String> pairs(Response hash) {
    TreeMap<String, String> out = new TreeMap<>();
    for (String k : hash.getKeys()) {
      out.put(k, hash.get(k).toString());
    }
    return out;
  }

  private static String lastId(Response info) {
    return info.get("last-generated-id").toString();
  }

  private static final String[] TOPICS = {"t0", "t1", "t2", "t3", "t4"};

  /**
   * Verifies that the batch script and the one-by-one script, and any mix of both, leave the same history and
   * answer the same, over runs drawn at random for a capacity and a trimming slack.
   */
  @ParameterizedTest
  @CsvSource({"1, 1, 11", "2, 1, 12", "3, 2, 13", "7, 1, 14", "7, 3, 15", "20, 5, 16", "40, 1, 17"})
  void sameHistoryAsOneByOne(int capacity, int slack, long seed) throws Exception {
    Random random = new Random(seed);
    String run = UUID.randomUUID().toString();
    String oldOnly = "old-" + run;
    String newOnly = "new-" + run;
    String mixed = "mixed-" + run;
    List<String> prefixes = List.of(oldOnly, newOnly, mixed);
    Known known = Known.NOTHING;
    int nonces = 0;
    int stored = 0;
    for (int round = 0; round < 60; round++) {
      int disturbance = random.nextInt(40);
      for (String prefix : prefixes) {
        disturb(disturbance, prefix);
      }
      int size = random.nextInt(10) < 8 ? 1 + random.nextInt(12) : 1 + random.nextInt(64);
      List<Entry> entries = new ArrayList<>();
      List<String> cancelled = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        String id = random.nextInt(10) < 3 ? "shared-" + random.nextInt(6) : "u-" + round + "-" + i;
        String nonce = !entries.isEmpty() && random.nextInt(20) == 0 ? entries.get(random.nextInt(entries.size())).nonce() : "n-" + ++nonces;
        if (random.nextInt(12) == 0) {
          cancelled.add(nonce);
        }
        List<String> topics = new ArrayList<>();
        for (int t = random.nextInt(4); t > 0; t--) {
          topics.add(TOPICS[random.nextInt(TOPICS.length)]);
        }
        entries.add(new Entry(id, "{\"data\":\"" + round + "/" + i + "\"}", nonce, random.nextInt(4) == 0, RedisEventStore.topicHashes(topics)));
      }
      for (String prefix : prefixes) {
        for (String nonce : cancelled) {
          send(Command.ZADD, RedisEventStore.key(prefix, "cancelled"), 1, nonce);
        }
      }
      Known sent = switch (random.nextInt(20)) {
        case 0 -> Known.NOTHING;
        case 1 -> new Known(known.epoch(), known.sequence() + 1 + random.nextInt(3), known.id(), known.hub()); // a rewind seen
        case 2 -> new Known(known.epoch(), known.sequence(), "another id", known.hub());
        default -> known;
      };
      String fresh = UUID.randomUUID().toString();
      Response answer = run(AppendOneByOne.APPEND_BATCH, oldOnly, fresh, sent, capacity, slack, entries);
      String expected = answer.toString();
      String actual = run(RedisEventStore.APPEND_BATCH, newOnly, fresh, sent, capacity, slack, entries).toString();
      String either = run(random.nextBoolean() ? RedisEventStore.APPEND_BATCH : AppendOneByOne.APPEND_BATCH, mixed, fresh, sent,
          capacity, slack, entries).toString();
      String where = "capacity " + capacity + ", slack " + slack + ", round " + round + ", " + entries.size() + " appends";
      assertEquals(expected, actual, "answers, " + where);
      assertEquals(expected, either, "answers (mixed), " + where);
      TreeMap<String, String> history = snapshot(oldOnly);
      assertEquals(history, snapshot(newOnly), "history, " + where);
      assertEquals(history, snapshot(mixed), "history (mixed), " + where);
      known = newest(known, answer, entries);
      stored += (int) entries.stream().filter(e -> !cancelled.contains(e.nonce())).count();
    }
    assertTrue(stored > 300, "runs appended " + stored);
  }

  /** The newest entry a run answered, as the node remembers it. */
  private static Known newest(Known before, Response answer, List<Entry> entries) {
    Known out = before;
    for (int i = 0; i < answer.size(); i++) {
      long seq = answer.get(i).get(0).toLong();
      if (seq > 0) {
        out = new Known(answer.get(i).get(1).toString(), seq, entries.get(i).id(), entries.get(i).hub());
      }
    }
    return out;
  }

  /** Changes a history between runs as Redis can (a draw of 0 to 6; any other leaves it). */
  private static void disturb(int draw, String prefix) throws Exception {
    switch (draw) {
      case 0 -> send(Command.DEL, RedisEventStore.key(prefix, "epoch"));
      case 1 -> send(Command.DEL, RedisEventStore.key(prefix, "seq"));
      case 2 -> send(Command.DEL, RedisEventStore.key(prefix, "stream"));
      case 3 -> send(Command.SET, RedisEventStore.key(prefix, "seq"), 0); // the counter behind the stream
      case 4 -> send(Command.DEL, RedisEventStore.key(prefix, "floor"), RedisEventStore.key(prefix, "real"),
          RedisEventStore.key(prefix, "hubq")); // a history written before the lanes
      case 5 -> send(Command.DEL, RedisEventStore.key(prefix, "topics"), RedisEventStore.key(prefix, "tfrom"),
          RedisEventStore.key(prefix, "tlast")); // a history written before the topic index
      case 6 -> send(Command.DECR, RedisEventStore.key(prefix, "tlast")); // an entry of a node without the index
      default -> {
      }
    }
  }

  /**
   * Verifies that a run whose first appends were cancelled starts a new epoch at its first append that runs, and
   * that every append after it is in that epoch, from sequence 1.
   */
  @Test
  void newEpochAtTheFirstAppendThatRuns() throws Exception {
    String prefix = "epoch-" + UUID.randomUUID();
    List<Entry> first = List.of(new Entry("a", "{}", "n-a", false, ""), new Entry("b", "{}", "n-b", false, ""));
    String answer = run(RedisEventStore.APPEND_BATCH, prefix, "epoch-1", Known.NOTHING, 10, 1, first).toString();
    assertEquals("[[1, epoch-1], [2, epoch-1]]", answer);
    send(Command.FLUSHALL);
    send(Command.ZADD, RedisEventStore.key(prefix, "cancelled"), 1, "n-c");
    List<Entry> second = List.of(new Entry("c", "{}", "n-c", false, ""), new Entry("d", "{}", "n-d", true, ""),
        new Entry("e", "{}", "n-e", false, ""));
    answer = run(RedisEventStore.APPEND_BATCH, prefix, "epoch-2", new Known("epoch-1", 2, "b", false), 10, 1, second).toString();
    assertEquals("[[-1, ], [1, epoch-2], [2, epoch-2]]", answer);
  }
}
