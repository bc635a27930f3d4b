package io.quicksilver.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * The subscribers held by one process: one SSE connection each (its URL from {@link HubProtocol}), opened
 * over Vert.x HTTP clients (one client per source address, connections spread round-robin), parsed with
 * {@link SseParser}, checked with one {@link SequenceChecker} per subscribed topic.
 *
 * <p>Driven by JSON commands ({@link #handle}) so that the same code serves an in-process fleet and a
 * child process controlled over stdin/stdout. Every answer is additive across processes (counts sum,
 * histograms add, first receipts take the minimum and last receipts the maximum), see {@link Reports}.
 */
public final class SubscriberFleet {

  /** Connecting to the hub: at most this long. */
  static final long CONNECT_TIMEOUT_MS = 30_000;

  /**
   * Then the subscription's response head: at most this long (generous: a hub opening thousands of streams
   * at once may be slow to answer, and a late head is still a subscriber).
   */
  static final long HEAD_TIMEOUT_MS = 120_000;

  /** The longest opening one subscription may take. */
  static final long OPEN_BOUND_SECONDS = (CONNECT_TIMEOUT_MS + HEAD_TIMEOUT_MS) / 1000;

  private final Vertx vertx;
  private final Layout layout;
  private final HubTarget target;
  private final HubProtocol protocol;
  private final String subscriberToken;
  private final List<HttpClientAgent> clients = new ArrayList<>();
  private final Sub[] subs;

  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong everConnected = new AtomicLong();
  private final AtomicLong connectErrors = new AtomicLong();
  private final AtomicLong disconnects = new AtomicLong();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong foreignEvents = new AtomicLong();
  private final AtomicLong cursorLost = new AtomicLong();
  private final AtomicLong lastReceiptNanos = new AtomicLong();
  private final AtomicLong lastEventMono = new AtomicLong(System.nanoTime());
  private final Set<String> errorSamples = ConcurrentHashMap.newKeySet();
  private final Set<String> duplicateSamples = ConcurrentHashMap.newKeySet();
  private final ConcurrentHistogram latency = new ConcurrentHistogram(1, 3_600_000_000L, 3);

  /** Per-sequence first/last receipt and count for one tracked topic (broadcast's T_first / T_last). */
  private final int trackedTopic;
  private final AtomicLongArray trackFirst;
  private final AtomicLongArray trackLast;
  private final AtomicLongArray trackCount;

  /** Reconnect storm: catch-up targets per topic and the time each subscriber got there. */
  private volatile long[] catchUpTarget;
  private volatile long reconnectStartNanos;
  private final AtomicInteger caughtUp = new AtomicInteger();
  private final ConcurrentHistogram catchUp = new ConcurrentHistogram(1, 3_600_000_000L, 3);
  private final AtomicLong reconnectErrors = new AtomicLong();
  private final long cpuAtStart = Main.ownCpuNanos();

  /**
   * @param indices the global subscriber numbers this process holds
   * @param trackedTopic topic whose per-sequence receipt times are kept (-1: none)
   * @param trackedCapacity highest sequence number + 1 tracked
   */
  public SubscriberFleet(Vertx vertx, Options options, Layout layout, int[] indices, List<String> sourceAddresses,
      int trackedTopic, int trackedCapacity, int eventLoops) {
    this.vertx = vertx;
    this.layout = layout;
    this.target = new HubTarget(options.str("hub"));
    this.protocol = HubProtocol.of(options.str("protocol"), target, layout);
    this.subscriberToken = protocol.bearerTokens() ? Main.subscriberToken(options) : null;
    List<String> addrs = sourceAddresses.isEmpty() ? java.util.Collections.singletonList(null) : sourceAddresses;
    for (String a : addrs) {
      HttpClientOptions co = new HttpClientOptions()
          .setKeepAlive(true)
          .setTcpNoDelay(true)
          .setConnectTimeout((int) CONNECT_TIMEOUT_MS)
          .setMaxInitialLineLength(16 * 1024)
          .setMaxHeaderSize(64 * 1024);
      if (a != null) {
        co.setLocalAddress(a);
      }
      PoolOptions po = new PoolOptions().setHttp1MaxSize(1_000_000).setMaxWaitQueueSize(-1)
          .setEventLoopSize(eventLoops);
      clients.add(vertx.httpClientBuilder().with(co).with(po).build());
    }
    this.subs = new Sub[indices.length];
    for (int i = 0; i < indices.length; i++) {
      subs[i] = new Sub(indices[i], layout.topicsOf(indices[i]), clients.get(i % clients.size()));
    }
    this.trackedTopic = trackedTopic;
    int cap = trackedTopic >= 0 ? trackedCapacity : 0;
    trackFirst = new AtomicLongArray(cap);
    trackLast = new AtomicLongArray(cap);
    trackCount = new AtomicLongArray(cap);
    for (int i = 0; i < cap; i++) {
      trackFirst.set(i, Long.MAX_VALUE);
    }
  }

  public int size() {
    return subs.length;
  }

  /** Runs one command; see the class comment. */
  public Future<JsonObject> handle(JsonObject cmd) {
    switch (cmd.getString("cmd")) {
      case "connect":
        return connectAll(cmd.getDouble("rate", 0.0), cmd.getInteger("maxConnecting", 256));
      case "status":
        return Future.succeededFuture(status());
      case "await":
        return awaitDelivered(Codec.bitsMap(cmd.getJsonObject("accepted")), cmd.getLong("timeoutMs", 15_000L),
            cmd.getLong("quietMs", 3_000L));
      case "drop":
        return dropAll();
      case "reconnect":
        return reconnectAll(cmd.getJsonObject("head"), cmd.getDouble("rate", 0.0),
            cmd.getInteger("maxConnecting", 256), cmd.getLong("timeoutMs", 60_000L));
      case "report":
        return Future.succeededFuture(report(Codec.bitsMap(cmd.getJsonObject("accepted"))));
      case "close":
        return close().map(v -> new JsonObject());
      default:
        return Future.failedFuture("unknown command " + cmd.getString("cmd"));
    }
  }

  public JsonObject status() {
    return new JsonObject()
        .put("subscribers", subs.length)
        .put("open", open.get())
        .put("everConnected", everConnected.get())
        .put("connectErrors", connectErrors.get())
        .put("disconnects", disconnects.get())
        .put("events", events.get())
        .put("cpuNanos", Main.ownCpuNanos() - cpuAtStart)
        .put("errorSamples", new JsonArray(new ArrayList<>(errorSamples)));
  }

  /** Opens every subscriber at {@code rate} per second (0: as fast as {@code maxConnecting} allows). */
  public Future<JsonObject> connectAll(double rate, int maxConnecting) {
    return ramp(rate, maxConnecting, s -> s.open(null).onFailure(e -> connectErrors.incrementAndGet()));
  }

  private Future<JsonObject> ramp(double rate, int maxConnecting, java.util.function.Function<Sub, Future<Void>> op) {
    Promise<JsonObject> done = Promise.promise();
    int n = subs.length;
    if (n == 0) {
      return Future.succeededFuture(status());
    }
    long start = System.nanoTime();
    AtomicInteger inflight = new AtomicInteger();
    AtomicInteger settled = new AtomicInteger();
    int[] issued = {0};
    Ticker.every(vertx, 5, stop -> {
      long due = rate <= 0 ? n : Math.min(n, (long) ((System.nanoTime() - start) / 1e9 * rate) + 1);
      while (issued[0] < due && inflight.get() < maxConnecting) {
        Sub s = subs[issued[0]++];
        inflight.incrementAndGet();
        op.apply(s).onComplete(ar -> {
          inflight.decrementAndGet();
          if (settled.incrementAndGet() == n) {
            done.tryComplete(status().put("rampSeconds", (System.nanoTime() - start) / 1e9));
          }
        });
      }
      if (issued[0] == n) {
        stop.run();
      }
    });
    return done.future();
  }

  /**
   * Waits until every subscriber received as many distinct updates as were accepted on its topics, or
   * {@code timeoutMs} passed, or nothing arrived for {@code quietMs}.
   */
  public Future<JsonObject> awaitDelivered(Map<Integer, BitSet> accepted, long timeoutMs, long quietMs) {
    long[] expectedPerTopic = new long[layout.topicCount()];
    accepted.forEach((t, b) -> expectedPerTopic[t] = b.cardinality());
    Promise<JsonObject> done = Promise.promise();
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    Ticker.every(vertx, 50, stop -> {
      int pending = 0;
      for (Sub s : subs) {
        if (s.distinctTotal() < s.expected(expectedPerTopic)) {
          pending++;
        }
      }
      long now = System.nanoTime();
      boolean quiet = now - lastEventMono.get() > quietMs * 1_000_000L;
      if (pending == 0 || now > deadline || quiet) {
        stop.run();
        done.complete(new JsonObject().put("pending", pending).put("timedOut", pending > 0));
      }
    });
    return done.future();
  }

  /** Closes every connection (a "drop"), remembering each subscriber's last event id. */
  public Future<JsonObject> dropAll() {
    List<Future<Void>> closing = new ArrayList<>();
    for (Sub s : subs) {
      closing.add(s.drop());
    }
    return Future.join(closing).transform(ar -> Future.succeededFuture(status()));
  }

  /**
   * Reconnects every subscriber with its {@code Last-Event-ID}; completes when each has received, on
   * each of its topics, the sequence number given in {@code head} (or after {@code timeoutMs}).
   */
  public Future<JsonObject> reconnectAll(JsonObject head, double rate, int maxConnecting, long timeoutMs) {
    long[] target = new long[layout.topicCount()];
    java.util.Arrays.fill(target, -1);
    for (String k : head.fieldNames()) {
      target[Integer.parseInt(k)] = head.getLong(k);
    }
    caughtUp.set(0);
    catchUp.reset();
    catchUpTarget = target;
    reconnectStartNanos = System.nanoTime();
    for (Sub s : subs) {
      s.caughtUpAt = 0;
      s.checkCaughtUp();
    }
    Promise<JsonObject> done = Promise.promise();
    long deadline = reconnectStartNanos + timeoutMs * 1_000_000L;
    ramp(rate, maxConnecting, s -> s.open(s.parser.lastEventId()).onFailure(e -> reconnectErrors.incrementAndGet()));
    Ticker.every(vertx, 20, stop -> {
      if (caughtUp.get() >= subs.length || System.nanoTime() > deadline) {
        stop.run();
        JsonArray behind = new JsonArray();
        for (Sub s : subs) {
          if (s.caughtUpAt == 0 && behind.size() < 5) {
            behind.add("subscriber " + s.index + " open " + s.opened + " connections " + s.connections
                + " highest " + s.checkers[0].highest() + " last id " + s.parser.lastEventId());
          }
        }
        done.complete(new JsonObject().put("caughtUp", caughtUp.get()).put("reconnectErrors", reconnectErrors.get())
            .put("cursorLost", cursorLost.get()).put("notCaughtUpSamples", behind));
      }
    });
    return done.future();
  }

  /** Everything counted so far, against the accepted sequence numbers of each topic. */
  public JsonObject report(Map<Integer, BitSet> accepted) {
    long duplicates = 0;
    long outOfOrder = 0;
    long lost = 0;
    long unexpected = 0;
    long delivered = 0;
    long expected = 0;
    long lossySubscribers = 0;
    for (Sub s : subs) {
      synchronized (s) {
        long subLost = 0;
        for (int k = 0; k < s.topics.length; k++) {
          SequenceChecker c = s.checkers[k];
          duplicates += c.duplicates();
          outOfOrder += c.outOfOrder();
          BitSet acc = accepted.get(s.topics[k]);
          if (acc != null) {
            subLost += c.lost(acc);
            unexpected += c.unexpected(acc);
            delivered += c.receivedOf(acc);
            expected += acc.cardinality();
          } else {
            unexpected += c.distinct();
          }
        }
        lost += subLost;
        if (subLost > 0) {
          lossySubscribers++;
        }
      }
    }
    JsonObject r = status()
        .put("foreignEvents", foreignEvents.get())
        .put("expectedDeliveries", expected)
        .put("deliveries", delivered)
        .put("lost", lost)
        .put("lossySubscribers", lossySubscribers)
        .put("duplicates", duplicates)
        .put("outOfOrder", outOfOrder)
        .put("unexpected", unexpected)
        .put("cursorLost", cursorLost.get())
        .put("duplicateSamples", new JsonArray(new ArrayList<>(duplicateSamples)))
        .put("lastReceiptNanos", lastReceiptNanos.get())
        .put("latency", Codec.histogram(latency))
        .put("caughtUp", caughtUp.get())
        .put("reconnectErrors", reconnectErrors.get())
        .put("catchUp", Codec.histogram(catchUp));
    if (trackFirst.length() > 0) {
      int n = trackFirst.length();
      long[] f = new long[n];
      long[] l = new long[n];
      long[] c = new long[n];
      for (int i = 0; i < n; i++) {
        f[i] = trackFirst.get(i);
        l[i] = trackLast.get(i);
        c[i] = trackCount.get(i);
      }
      r.put("trackFirst", Codec.longs(f)).put("trackLast", Codec.longs(l)).put("trackCount", Codec.longs(c));
    }
    return r;
  }

  public Future<Void> close() {
    for (Sub s : subs) {
      s.dropping = true;
    }
    List<Future<Void>> fs = new ArrayList<>();
    for (HttpClientAgent c : clients) {
      fs.add(c.close());
    }
    return Future.join(fs).mapEmpty();
  }

  /** One subscriber: one SSE connection at a time. */
  final class Sub implements SseParser.Listener {
    final int index;
    final int[] topics;
    final SequenceChecker[] checkers;
    final SseParser parser = new SseParser(this);
    final HttpClientAgent client;
    volatile HttpClientConnection connection;
    volatile boolean opened;
    volatile boolean dropping;
    volatile long caughtUpAt;
    int connections;
    long eventsThisConnection;
    String requestedLastEventId;
    long highestBeforeConnection = -1;
    long firstSeqThisConnection = -1;

    Sub(int index, int[] topics, HttpClientAgent client) {
      this.index = index;
      this.topics = topics;
      this.client = client;
      this.checkers = new SequenceChecker[topics.length];
      for (int i = 0; i < topics.length; i++) {
        checkers[i] = new SequenceChecker();
      }
    }

    Future<Void> open(String lastEventId) {
      dropping = false;
      RequestOptions ro = new RequestOptions()
          .setMethod(HttpMethod.GET)
          .setHost(target.host)
          .setPort(target.port)
          .setURI(protocol.subscribeUri(topics))
          .setIdleTimeout(HEAD_TIMEOUT_MS) // until the response head only: Vert.x cancels it then, the stream may idle
          .putHeader("Accept", "text/event-stream")
          .putHeader("Cache-Control", "no-cache");
      if (lastEventId != null && !lastEventId.isEmpty()) {
        ro.putHeader("Last-Event-ID", lastEventId);
      }
      if (subscriberToken != null) {
        ro.putHeader("Authorization", "Bearer " + subscriberToken);
      }
      HttpConnectOptions co = new HttpConnectOptions().setHost(target.host).setPort(target.port)
          .setConnectTimeout(CONNECT_TIMEOUT_MS);
      return client.connect(co).compose(conn -> {
        connection = conn;
        return conn.request(ro).compose(HttpClientRequest::send);
      }).compose(resp -> {
        if (resp.statusCode() != 200) {
          errorSamples.add("HTTP " + resp.statusCode());
          connection.close();
          return Future.failedFuture("HTTP " + resp.statusCode());
        }
        if (lastEventId != null && !lastEventId.isEmpty() && protocol.cursorLost(resp)) {
          cursorLost.incrementAndGet();
        }
        synchronized (this) {
          parser.reset();
          connections++;
          eventsThisConnection = 0;
          requestedLastEventId = lastEventId;
          highestBeforeConnection = checkers[0].highest();
          firstSeqThisConnection = -1;
        }
        opened = true;
        open.incrementAndGet();
        everConnected.incrementAndGet();
        resp.handler(buf -> {
          synchronized (this) {
            parser.feed(buf.getBytes());
          }
        });
        resp.endHandler(v -> closed(null));
        resp.exceptionHandler(this::closed);
        return Future.<Void>succeededFuture();
      }).onFailure(e -> {
        HttpClientConnection c = connection;
        if (c != null) {
          c.close();
        }
        if (errorSamples.size() < 10) {
          errorSamples.add(String.valueOf(e.getMessage()));
        }
      });
    }

    void closed(Throwable cause) {
      if (!opened) {
        return;
      }
      opened = false;
      open.decrementAndGet();
      if (!dropping) {
        disconnects.incrementAndGet();
        if (cause != null && errorSamples.size() < 10) {
          errorSamples.add("disconnect: " + cause);
        }
      }
    }

    Future<Void> drop() {
      dropping = true;
      HttpClientConnection c = connection;
      if (c == null || !opened) {
        return Future.succeededFuture();
      }
      return c.close();
    }

    synchronized long distinctTotal() {
      long n = 0;
      for (SequenceChecker c : checkers) {
        n += c.distinct();
      }
      return n;
    }

    long expected(long[] perTopic) {
      long n = 0;
      for (int t : topics) {
        n += perTopic[t];
      }
      return n;
    }

    @Override
    public void onEvent(String lastEventId, String type, String data) {
      long now = Clock.nowNanos();
      events.incrementAndGet();
      lastEventMono.set(System.nanoTime());
      Payload p = Payload.decode(data);
      if (p == null) {
        foreignEvents.incrementAndGet();
        return;
      }
      int k = -1;
      for (int i = 0; i < topics.length; i++) {
        if (topics[i] == p.topic) {
          k = i;
          break;
        }
      }
      if (k < 0) {
        foreignEvents.incrementAndGet();
        return;
      }
      SequenceChecker.Outcome o = checkers[k].record(p.seq);
      eventsThisConnection++;
      if (firstSeqThisConnection < 0 && k == 0) {
        firstSeqThisConnection = p.seq;
      }
      lastReceiptNanos.accumulateAndGet(now, Math::max);
      if (o == SequenceChecker.Outcome.DUPLICATE) {
        if (duplicateSamples.size() < 10) {
          duplicateSamples.add("subscriber " + index + " topic " + p.topic + " seq " + p.seq + " id " + lastEventId
              + ": event " + eventsThisConnection + " of connection " + connections
              + (requestedLastEventId != null ? " (opened with Last-Event-ID " + requestedLastEventId + ")" : "")
              + "; first topic: highest seq before this connection " + highestBeforeConnection
              + ", first seq on it " + firstSeqThisConnection);
        }
        return;
      }
      long micros = Math.max(1, Math.min(3_600_000_000L, (now - p.scheduledNanos) / 1000));
      latency.recordValue(micros);
      if (p.topic == trackedTopic && p.seq < trackFirst.length()) {
        int s = (int) p.seq;
        trackFirst.accumulateAndGet(s, now, Math::min);
        trackLast.accumulateAndGet(s, now, Math::max);
        trackCount.incrementAndGet(s);
      }
      if (catchUpTarget != null && caughtUpAt == 0) {
        checkCaughtUp();
      }
    }

    void checkCaughtUp() {
      long[] target = catchUpTarget;
      if (target == null || caughtUpAt != 0) {
        return;
      }
      for (int i = 0; i < topics.length; i++) {
        long want = target[topics[i]];
        if (want >= 0 && !checkers[i].has(want)) {
          return;
        }
      }
      caughtUpAt = System.nanoTime();
      caughtUp.incrementAndGet();
      catchUp.recordValue(Math.max(1, (caughtUpAt - reconnectStartNanos) / 1000));
    }
  }
}
