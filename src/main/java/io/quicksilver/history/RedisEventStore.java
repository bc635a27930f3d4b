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
 * ids are {@code <sequence>-0}; {@code {p}:seq} the counter; {@code {p}:ids} a hash id → sequence;
 * {@code {p}:epoch} a random epoch; {@code {p}:trimmed} the sequence trimmed up to. One Lua script
 * increments the counter, appends, indexes the id and trims, atomically: the sequence is dense and assigned
 * in the same step as the append. Trimming is approximate: the stream holds between {@code capacity} and
 * {@code capacity + slack} entries, and trimmed ids leave the index in the same script. Replays see exactly
 * the newest {@code capacity} updates (like the in-memory store), so a replay with {@code limit >= capacity}
 * always reaches the head; the slack only serves gap fills ({@link #range}). When the epoch key
 * is missing (Redis flushed or replaced) the script starts a new epoch: old cursors are then unknown.
 *
 * <p>Cursor lookups are a hash lookup plus an XRANGE from that sequence: O(log n + k). Every command has a
 * deadline; past it the operation fails (publish answers 503). The pooled client reconnects on its own;
 * a periodic PING keeps {@link #ready()} current.
 */
public final class RedisEventStore implements EventStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisEventStore.class);

  private static final String APPEND = """
      local epoch = redis.call('GET', KEYS[4])
      if not epoch then
        epoch = ARGV[5]
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[5])
        redis.call('SET', KEYS[4], epoch)
      end
      local seq = redis.call('INCR', KEYS[3])
      redis.call('XADD', KEYS[1], seq .. '-0', 'id', ARGV[1], 'u', ARGV[2])
      redis.call('HSET', KEYS[2], ARGV[1], seq)
      local cutoff = seq - tonumber(ARGV[3])
      local trimmed = tonumber(redis.call('GET', KEYS[5]) or '0')
      if cutoff - trimmed >= tonumber(ARGV[4]) then
        local old = redis.call('XRANGE', KEYS[1], '-', cutoff .. '-0')
        for _, e in ipairs(old) do
          local s = string.match(e[1], '^(%d+)-')
          local eid = e[2][2]
          if redis.call('HGET', KEYS[2], eid) == s then
            redis.call('HDEL', KEYS[2], eid)
          end
        end
        redis.call('XTRIM', KEYS[1], 'MINID', (cutoff + 1) .. '-0')
        redis.call('SET', KEYS[5], cutoff)
      end
      return {seq, epoch}
      """;

  private static final String READ_AFTER = """
      local head = tonumber(redis.call('GET', KEYS[3]) or '0')
      local epoch = redis.call('GET', KEYS[4]) or ''
      local floor = head - tonumber(ARGV[4])
      if floor < 0 then
        floor = 0
      end
      local from = '(' .. floor .. '-0'
      if ARGV[1] == 'cursor' then
        local s = redis.call('HGET', KEYS[2], ARGV[2])
        if not s or tonumber(s) <= floor then
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
    this.keys = new String[] {key(prefix, "stream"), key(prefix, "ids"), key(prefix, "seq"), key(prefix, "epoch"), key(prefix, "trimmed")};
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
    return script(APPEND, update.id(), payload, String.valueOf(capacity), String.valueOf(slack), UUID.randomUUID().toString())
        .map(r -> {
          epoch = r.get(1).toString();
          return update.withSequence(r.get(0).toLong());
        });
  }

  @Override
  public Future<Replay> readAfter(String lastEventId, int limit) {
    boolean earliest = EARLIEST.equals(lastEventId);
    return script(READ_AFTER, earliest ? "earliest" : "cursor", lastEventId, String.valueOf(Math.max(1, limit)),
        String.valueOf(capacity))
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
