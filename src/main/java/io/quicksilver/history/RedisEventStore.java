package io.quicksilver.history;

import io.quicksilver.mercure.Update;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history in Redis, shared by every node of a cluster.
 *
 * <p>Keys (all under one hash tag, so they live in one slot): {@code {p}:stream} a Redis Stream whose entry
 * ids are {@code <sequence>-0} (hub events carry a field {@code h}); {@code {p}:seq} the counter; {@code {p}:ids}
 * a hash id → the earliest sequence holding it, with {@code {p}:next} (sequence → the next sequence holding the
 * same id) and {@code {p}:last} (id → the latest, for ids held more than once); {@code {p}:epoch} a random epoch;
 * {@code {p}:floor} the sequence up to which nothing is replayable, {@code {p}:real} how many updates lie above
 * it; {@code {p}:hubq} the sequences of the hub events above it, oldest first; {@code {p}:trimmed} the sequence
 * physically trimmed up to. One Lua script increments the counter, appends, indexes the id and trims,
 * atomically: the sequence is dense and assigned in the same step as the append.
 *
 * <p>Like the in-memory store, the history has two lanes: publishers' updates and the hub's own events
 * (subscription events), each of {@code capacity} entries, so that hub events never push an update out. When
 * an update goes past the capacity the floor moves to the oldest update above it (and the hub events below it
 * leave with it); when a hub event goes past it, the oldest hub event is deleted from the stream (replays skip
 * the gap). Trimming below the floor is batched: the stream holds up to {@code slack} entries more, and trimmed
 * ids leave the index in the same script. Replays see exactly what lies above the floor, so a replay with
 * {@code limit >= 2 * capacity} always reaches the head; the slack only serves gap fills ({@link #range}). When
 * the epoch key is missing (Redis flushed or replaced) the script starts a new epoch: old cursors are then
 * unknown.
 *
 * <p>Cursor lookups are a hash lookup plus an XRANGE from that sequence: O(log n + k). Every command has a
 * deadline; past it the operation fails (publish answers 503). The pooled client reconnects on its own;
 * a periodic PING keeps {@link #ready()} current.
 */
public final class RedisEventStore implements EventStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisEventStore.class);

  /**
   * KEYS: 1 stream, 2 ids, 3 seq, 4 epoch, 5 trimmed, 6 floor, 7 hubq, 8 next, 9 last, 10 real.
   * ARGV: 1 id, 2 payload, 3 capacity, 4 slack, 5 new epoch, 6 "1" for a hub event.
   */
  private static final String APPEND = """
      local function unindex(s, eid)
        if redis.call('HGET', KEYS[2], eid) ~= s then
          return
        end
        local n = redis.call('HGET', KEYS[8], s)
        if n then
          redis.call('HSET', KEYS[2], eid, n)
          redis.call('HDEL', KEYS[8], s)
          if redis.call('HGET', KEYS[9], eid) == n then
            redis.call('HDEL', KEYS[9], eid)
          end
        else
          redis.call('HDEL', KEYS[2], eid)
          redis.call('HDEL', KEYS[9], eid)
        end
      end
      local capacity = tonumber(ARGV[3])
      local epoch = redis.call('GET', KEYS[4])
      if not epoch then
        epoch = ARGV[5]
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10])
        redis.call('SET', KEYS[4], epoch)
      end
      local seq = redis.call('INCR', KEYS[3])
      if ARGV[6] == '1' then
        redis.call('XADD', KEYS[1], seq .. '-0', 'id', ARGV[1], 'u', ARGV[2], 'h', '1')
      else
        redis.call('XADD', KEYS[1], seq .. '-0', 'id', ARGV[1], 'u', ARGV[2])
      end
      local first = redis.call('HGET', KEYS[2], ARGV[1])
      if first then
        redis.call('HSET', KEYS[8], redis.call('HGET', KEYS[9], ARGV[1]) or first, seq)
        redis.call('HSET', KEYS[9], ARGV[1], seq)
      else
        redis.call('HSET', KEYS[2], ARGV[1], seq)
      end
      local floor = tonumber(redis.call('GET', KEYS[6]) or '0')
      if ARGV[6] == '1' then
        redis.call('RPUSH', KEYS[7], seq)
        if redis.call('LLEN', KEYS[7]) > capacity then
          local old = redis.call('LPOP', KEYS[7])
          local e = redis.call('XRANGE', KEYS[1], old .. '-0', old .. '-0')
          if #e > 0 then
            unindex(old, e[1][2][2])
            redis.call('XDEL', KEYS[1], old .. '-0')
          end
        end
        return {seq, epoch}
      end
      if not redis.call('GET', KEYS[10]) then
        -- a new epoch, or a history written before the count existed (updates only, dense): the newest capacity
        floor = math.max(floor, seq - 1 - capacity)
        redis.call('SET', KEYS[6], floor)
        redis.call('SET', KEYS[10], seq - 1 - floor - redis.call('LLEN', KEYS[7]))
      end
      if redis.call('INCR', KEYS[10]) > capacity then
        local found = false
        while not found do
          local batch = redis.call('XRANGE', KEYS[1], '(' .. floor .. '-0', '+', 'COUNT', 64)
          if #batch == 0 then
            break
          end
          for _, e in ipairs(batch) do
            floor = tonumber(string.match(e[1], '^(%d+)-'))
            if #e[2] < 6 then
              found = true
              break
            end
          end
        end
        redis.call('SET', KEYS[6], floor)
        redis.call('DECR', KEYS[10])
        while true do
          local h = redis.call('LINDEX', KEYS[7], 0)
          if not h or tonumber(h) > floor then
            break
          end
          redis.call('LPOP', KEYS[7])
        end
        local trimmed = tonumber(redis.call('GET', KEYS[5]) or '0')
        if floor - trimmed >= tonumber(ARGV[4]) then
          for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', floor .. '-0')) do
            unindex(string.match(e[1], '^(%d+)-'), e[2][2])
          end
          redis.call('XTRIM', KEYS[1], 'MINID', (floor + 1) .. '-0')
          redis.call('SET', KEYS[5], floor)
        end
      end
      return {seq, epoch}
      """;

  /** KEYS as {@link #APPEND}. ARGV: 1 "cursor" or "earliest", 2 the id, 3 limit. */
  private static final String READ_AFTER = """
      local head = tonumber(redis.call('GET', KEYS[3]) or '0')
      local epoch = redis.call('GET', KEYS[4]) or ''
      local floor = tonumber(redis.call('GET', KEYS[6]) or '0')
      local from = '(' .. floor .. '-0'
      if ARGV[1] == 'cursor' then
        local s = redis.call('HGET', KEYS[2], ARGV[2])
        while s and tonumber(s) <= floor do
          s = redis.call('HGET', KEYS[8], s)
        end
        if not s then
          return {head, epoch, 0, {}}
        end
        from = '(' .. s .. '-0'
      end
      return {head, epoch, 1, redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', tonumber(ARGV[3]))}
      """;

  private static final String HEAD = """
      return {tonumber(redis.call('GET', KEYS[3]) or '0'), redis.call('GET', KEYS[4]) or ''}
      """;

  private final Vertx vertx;
  private final Redis redis;
  private final boolean ownsClient;
  private final String[] keys;
  private final int capacity;
  private final int slack;
  private final long timeoutMs;
  private volatile boolean ready;
  private volatile String epoch = "";
  private long pinger = -1;

  /**
   * @param url      the Redis URL ({@code redis://[:password@]host:port[/db]})
   * @param prefix   key prefix
   * @param capacity how many updates to keep
   * @param timeout  deadline of each command
   */
  public RedisEventStore(Vertx vertx, String url, String prefix, int capacity, Duration timeout) {
    this(vertx, client(vertx, url, timeout), true, prefix, capacity, timeout);
  }

  /**
   * A store on a client the caller owns (and closes).
   *
   * @param redis    a client from {@link #client}
   * @param prefix   key prefix
   * @param capacity how many updates to keep
   * @param timeout  deadline of each command
   */
  public RedisEventStore(Vertx vertx, Redis redis, String prefix, int capacity, Duration timeout) {
    this(vertx, redis, false, prefix, capacity, timeout);
  }

  private RedisEventStore(Vertx vertx, Redis redis, boolean ownsClient, String prefix, int capacity, Duration timeout) {
    this.vertx = vertx;
    this.redis = redis;
    this.ownsClient = ownsClient;
    this.capacity = capacity;
    this.slack = Math.max(1, Math.min(1000, capacity / 100));
    this.timeoutMs = Math.max(1, timeout.toMillis());
    this.keys = new String[] {key(prefix, "stream"), key(prefix, "ids"), key(prefix, "seq"), key(prefix, "epoch"), key(prefix, "trimmed"),
        key(prefix, "floor"), key(prefix, "hubq"), key(prefix, "next"), key(prefix, "last"), key(prefix, "real")};
  }

  /** A pooled client (RESP2, bounded pool, connect timeout) for the hub's Redis. */
  public static Redis client(Vertx vertx, String url, Duration timeout) {
    return Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(url)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2)
        .setMaxPoolSize(16)
        .setMaxPoolWaiting(4096)
        .setPoolRecycleTimeout(15_000)
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout((int) Math.max(100, timeout.toMillis()))
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true)));
  }

  /** The hub's key for {@code name} under a prefix: all keys share the hash tag {@code {prefix}}. */
  public static String key(String prefix, String name) {
    return "{" + prefix + "}:" + name;
  }

  /**
   * Checks the connection once, then every second. Completes even when Redis is unreachable: the hub
   * starts unready (publish answers 503) and becomes ready when Redis answers.
   */
  public Future<Void> start() {
    pinger = vertx.setPeriodic(1000, id -> ping());
    return head()
        .onSuccess(h -> LOG.info("Redis history ready (epoch {}, head sequence {})", h.epoch(), h.sequence()))
        .onFailure(err -> LOG.warn("Redis unreachable at start-up ({}); publishing answers 503 until it is back", err.getMessage()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void ping() {
    timed(redis.send(Request.cmd(Command.PING))).onComplete(ar -> {
      if (ar.succeeded() != ready) {
        if (ar.succeeded()) {
          LOG.info("Redis reachable again");
        } else {
          LOG.warn("Redis unreachable: {}", ar.cause().getMessage());
        }
      }
      ready = ar.succeeded();
    });
  }

  @Override
  public Future<Update> append(Update update) {
    String payload = encode(update);
    return script(APPEND, update.id(), payload, String.valueOf(capacity), String.valueOf(slack), UUID.randomUUID().toString(),
        update.hubEvent() ? "1" : "0")
        .map(r -> {
          epoch = r.get(1).toString();
          return update.withSequence(r.get(0).toLong());
        });
  }

  @Override
  public Future<Replay> readAfter(String lastEventId, int limit) {
    boolean earliest = EARLIEST.equals(lastEventId);
    return script(READ_AFTER, earliest ? "earliest" : "cursor", lastEventId, String.valueOf(Math.max(1, limit)))
        .map(r -> {
          long head = r.get(0).toLong();
          epoch = r.get(1).toString();
          if (r.get(2).toInteger() == 0) {
            return new Replay(Replay.Cursor.UNKNOWN, List.of(), head);
          }
          return new Replay(earliest ? Replay.Cursor.EARLIEST : Replay.Cursor.FOUND, entries(r.get(3)), head);
        });
  }

  @Override
  public Future<List<Update>> range(long afterSequence, long untilSequence) {
    if (untilSequence <= afterSequence) {
      return Future.succeededFuture(List.of());
    }
    if (untilSequence <= 0) {
      return Future.succeededFuture(List.of());
    }
    // stream ids are unsigned: sequences start at 1, so a negative lower bound means the same as 0
    long after = Math.max(0, afterSequence);
    return timed(redis.send(Request.cmd(Command.XRANGE).arg(keys[0]).arg("(" + after + "-0").arg(untilSequence + "-0")))
        .map(RedisEventStore::entries);
  }

  @Override
  public Future<List<Update>> latest(int count) {
    return timed(redis.send(Request.cmd(Command.XREVRANGE).arg(keys[0]).arg("+").arg("-").arg("COUNT").arg(Math.max(1, count))))
        .map(r -> {
          List<Update> newestFirst = new ArrayList<>(entries(r));
          java.util.Collections.reverse(newestFirst);
          return newestFirst;
        });
  }

  @Override
  public Future<String> lastEventId() {
    return latest(1).map(last -> last.isEmpty() ? EARLIEST : last.get(0).id());
  }

  @Override
  public Future<Head> head() {
    return script(HEAD).map(r -> {
      epoch = r.get(1).toString();
      return new Head(epoch, r.get(0).toLong());
    });
  }

  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public Future<Void> close() {
    if (pinger >= 0) {
      vertx.cancelTimer(pinger);
    }
    return ownsClient ? redis.close() : Future.succeededFuture();
  }

  private Future<Response> script(String script, String... args) {
    String sha = sha1(script);
    return timed(redis.send(withArgs(Request.cmd(Command.EVALSHA).arg(sha), args)))
        .recover(err -> err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT")
            ? timed(redis.send(withArgs(Request.cmd(Command.EVAL).arg(script), args)))
            : Future.failedFuture(err))
        .onSuccess(r -> ready = true);
  }

  private Request withArgs(Request request, String... args) {
    request.arg(keys.length);
    for (String k : keys) {
      request.arg(k);
    }
    for (String a : args) {
      request.arg(a);
    }
    return request;
  }

  private <T> Future<T> timed(Future<T> future) {
    Promise<T> promise = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (promise.tryFail(new TimeoutException("Redis did not answer within " + timeoutMs + " ms"))) {
        ready = false;
      }
    });
    future.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed() && isConnectionFailure(ar.cause())) {
        ready = false;
      }
      if (ar.succeeded()) {
        promise.tryComplete(ar.result());
      } else {
        promise.tryFail(ar.cause());
      }
    });
    return promise.future();
  }

  private static boolean isConnectionFailure(Throwable t) {
    return t instanceof java.io.IOException || t instanceof java.net.ConnectException
        || (t.getMessage() != null && t.getMessage().contains("onnection"));
  }

  static String encode(Update u) {
    JsonObject json = new JsonObject()
        .put("topics", new JsonArray(u.topics()))
        .put("data", u.data());
    if (u.privateUpdate()) {
      json.put("private", true);
    }
    if (u.type() != null) {
      json.put("type", u.type());
    }
    if (u.retry() != null) {
      json.put("retry", u.retry());
    }
    return json.encode();
  }

  static List<Update> entries(Response array) {
    if (array == null) {
      return List.of();
    }
    List<Update> out = new ArrayList<>(array.size());
    for (Response entry : array) {
      String streamId = entry.get(0).toString();
      long seq = Long.parseLong(streamId.substring(0, streamId.indexOf('-')));
      Response fields = entry.get(1);
      String id = null;
      String payload = null;
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        String name = fields.get(i).toString();
        if (name.equals("id")) {
          id = fields.get(i + 1).toString(StandardCharsets.UTF_8);
        } else if (name.equals("u")) {
          payload = fields.get(i + 1).toString(StandardCharsets.UTF_8);
        }
      }
      JsonObject json = new JsonObject(payload);
      List<String> topics = new ArrayList<>();
      json.getJsonArray("topics").forEach(t -> topics.add((String) t));
      out.add(new Update(seq, id, topics, json.getString("data", ""), json.getBoolean("private", false),
          json.getString("type"), json.getLong("retry")));
    }
    return out;
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
