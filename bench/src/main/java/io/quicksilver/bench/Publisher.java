package io.quicksilver.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Publishes over a pool of keep-alive HTTP/1.1 connections, in the hub's protocol ({@link HubProtocol}: for
 * Mercure a form-encoded {@code POST} with a bearer token).
 *
 * <p>Each topic has its own sequence counter; the publisher remembers which sequence numbers the hub
 * accepted (2xx) — the set subscribers are checked against — and when each was scheduled.
 *
 * <p>Open loop ({@link #openLoop}): publish k is scheduled at {@code start + k / rate} and stamped with
 * that time, whatever happens to earlier publishes; when the pool is busy the request waits in the pool's
 * queue and the wait counts in its latency (no coordinated omission). Closed loop ({@link #closedLoop}):
 * each of C workers sends, waits for the answer, sends again; scheduled = actual send time.
 *
 * <p>Threading: every method may be called from any thread. Each exchange reads its answer inside the
 * callback that sends the request ({@link #exchange}), so the answer is consumed on the request's context
 * whichever thread asked for the publish.
 */
public final class Publisher {

  /** A request waits at most this long for a pooled connection, then at most this long for its answer. */
  static final long REQUEST_TIMEOUT_MS = 60_000;

  /**
   * Upper bound, in seconds, on the life of one exchange: the pool wait and the answer wait above, plus a
   * margin. Past it the harness is stuck, not slow.
   */
  public static final long ANSWER_BOUND_SECONDS = 2 * REQUEST_TIMEOUT_MS / 1000 + 30;

  private final Vertx vertx;
  private final HubTarget target;
  private final HubProtocol protocol;
  private final String token;
  private final int payloadSize;
  private final HttpClient client;
  private final Layout layout;

  private final long[] nextSeq;
  private final Map<Integer, BitSet> accepted = new HashMap<>();
  private final int trackedTopic;
  private final long[] trackedScheduled;

  private final ConcurrentHistogram latency = new ConcurrentHistogram(1, 3_600_000_000L, 3);
  private final ConcurrentHistogram sendLag = new ConcurrentHistogram(1, 3_600_000_000L, 3);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Set<String> errorSamples = ConcurrentHashMap.newKeySet();

  public Publisher(Vertx vertx, Options options, Layout layout, int connections, int trackedTopic, int trackedCapacity) {
    this.vertx = vertx;
    this.target = new HubTarget(options.has("publish-hub") ? options.str("publish-hub") : options.str("hub"));
    this.protocol = HubProtocol.of(options.str("protocol"), target, layout);
    this.token = protocol.bearerTokens() ? Main.publisherToken(options) : null;
    this.payloadSize = options.integer("payload-size");
    this.layout = layout;
    this.nextSeq = new long[layout.topicCount()];
    this.trackedTopic = trackedTopic;
    this.trackedScheduled = new long[trackedTopic >= 0 ? trackedCapacity : 0];
    HttpClientOptions co = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout(30_000)
        .setKeepAliveTimeout(3600);
    this.client = vertx.httpClientBuilder().with(co)
        .with(new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1)).build();
  }

  /** Publishes the next sequence number of {@code topic}, stamped as scheduled at {@code scheduledNanos}. */
  public Future<Integer> publish(int topic, long scheduledNanos) {
    long seq;
    synchronized (this) {
      seq = nextSeq[topic]++;
      if (topic == trackedTopic && seq < trackedScheduled.length) {
        trackedScheduled[(int) seq] = scheduledNanos;
      }
    }
    Buffer body = Buffer.buffer(protocol.publishBody(topic, Payload.encode(topic, seq, scheduledNanos, payloadSize)));
    sent.incrementAndGet();
    return exchange(request(topic), body, () -> record(sendLag, Clock.nowNanos() - scheduledNanos)).andThen(ar -> {
      long now = Clock.nowNanos();
      if (ar.succeeded() && ar.result() / 100 == 2) {
        ok.incrementAndGet();
        record(latency, now - scheduledNanos);
        synchronized (this) {
          accepted.computeIfAbsent(topic, t -> new BitSet()).set((int) seq);
        }
      } else if (ar.succeeded()) {
        refused.incrementAndGet();
        if (errorSamples.size() < 10) {
          errorSamples.add("HTTP " + ar.result());
        }
      } else {
        failed.incrementAndGet();
        if (errorSamples.size() < 10) {
          errorSamples.add(String.valueOf(ar.cause().getMessage()));
        }
      }
    }).recover(e -> Future.succeededFuture(-1));
  }

  /**
   * Opens the pool's connections and warms this JVM: {@code rounds} rounds of one publish per connection
   * to a topic no subscriber listens to; not counted in any figure. A refused or failed warm-up publish
   * is noted in the error samples; a round not answered within {@link #ANSWER_BOUND_SECONDS} fails the run.
   */
  public void warmup(int connections, int rounds) {
    RequestOptions ro = request(HubProtocol.WARMUP_TOPIC);
    Buffer body = Buffer.buffer(protocol.publishBody(HubProtocol.WARMUP_TOPIC, "warmup"));
    for (int r = 0; r < rounds; r++) {
      List<Future<Integer>> all = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        all.add(exchange(ro, body, () -> { }).andThen(ar -> {
          if ((ar.failed() || ar.result() / 100 != 2) && errorSamples.size() < 10) {
            errorSamples.add("warmup: " + (ar.failed() ? ar.cause().getMessage() : "HTTP " + ar.result()));
          }
        }));
      }
      Main.await(Future.join(all).otherwiseEmpty(), ANSWER_BOUND_SECONDS,
          "publisher warm-up round " + (r + 1) + " of " + rounds + " (" + connections + " publishes)");
    }
  }

  /**
   * One publish: takes a pooled connection, sends {@code body} ({@code onSend} runs just before), reads the
   * whole answer and completes with its status code; fails with the request's error.
   *
   * <p>The answer's body is read inside the callback that sends the request, not by a stage attached to the
   * returned future: such a stage, when attached from a non-Vert.x thread, can run after the answer has
   * ended, and a body read started then never completes in Vert.x 5.0.7 (eclipse-vertx/vert.x#5904, #6038,
   * fixed in 5.0.11) — the harness then waited for ever, its connections idle. A request that cannot even
   * be issued (the client closed) fails the returned future instead of throwing.
   */
  private Future<Integer> exchange(RequestOptions ro, Buffer body, Runnable onSend) {
    Future<HttpClientRequest> request;
    try {
      request = client.request(ro);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return request.compose(req -> {
      onSend.run();
      return req.send(body).compose(resp -> resp.body().map(b -> resp.statusCode()));
    });
  }

  /**
   * Bound on a batch of publishes whose last one is issued {@code scheduleSeconds} after the first: the
   * schedule, then {@link #ANSWER_BOUND_SECONDS} for the last answers.
   */
  public static long boundSeconds(double scheduleSeconds) {
    return (long) Math.ceil(scheduleSeconds) + ANSWER_BOUND_SECONDS;
  }

  /** A publish request to a topic, without its body. */
  private RequestOptions request(int topic) {
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host).setPort(target.port)
        .setURI(protocol.publishUri(topic)).setTimeout(REQUEST_TIMEOUT_MS).putHeader("Content-Type", protocol.publishContentType());
    if (token != null) {
      ro.putHeader("Authorization", "Bearer " + token);
    }
    return ro;
  }

  private static void record(ConcurrentHistogram h, long nanos) {
    h.recordValue(Math.max(1, Math.min(3_600_000_000L, nanos / 1000)));
  }

  /**
   * Open loop: {@code count} publishes at {@code rate} per second, topics chosen by {@code topics}.
   * Completes when every answer is back.
   */
  public Future<Void> openLoop(double rate, long count, IntSupplier topics) {
    Promise<Void> done = Promise.promise();
    if (count <= 0) {
      return Future.succeededFuture();
    }
    long start = Clock.nowNanos();
    double interval = 1e9 / rate;
    long[] issued = {0};
    AtomicLong answered = new AtomicLong();
    Ticker.every(vertx, 1, stop -> {
      long now = Clock.nowNanos();
      long due = Math.min(count, (long) ((now - start) / interval) + 1);
      while (issued[0] < due) {
        long scheduled = start + (long) (issued[0] * interval);
        issued[0]++;
        publish(topics.getAsInt(), scheduled).onComplete(ar -> {
          if (answered.incrementAndGet() == count) {
            done.complete();
          }
        });
      }
      if (issued[0] >= count) {
        stop.run();
      }
    });
    return done.future();
  }

  /** Closed loop: {@code concurrency} workers each publishing back to back for {@code seconds}. */
  public Future<Void> closedLoop(int concurrency, double seconds, IntSupplier topics) {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    Promise<Void> done = Promise.promise();
    AtomicLong finished = new AtomicLong();
    for (int w = 0; w < concurrency; w++) {
      vertx.runOnContext(v -> worker(deadline, topics, () -> {
        if (finished.incrementAndGet() == concurrency) {
          done.complete();
        }
      }));
    }
    return done.future();
  }

  private void worker(long deadline, IntSupplier topics, Runnable onDone) {
    if (System.nanoTime() >= deadline) {
      onDone.run();
      return;
    }
    publish(topics.getAsInt(), Clock.nowNanos()).onComplete(ar -> worker(deadline, topics, onDone));
  }

  /** A snapshot of the accepted sequence numbers per topic. */
  public synchronized Map<Integer, BitSet> accepted() {
    Map<Integer, BitSet> copy = new HashMap<>();
    accepted.forEach((k, v) -> copy.put(k, (BitSet) v.clone()));
    return copy;
  }

  /** The highest accepted sequence number of each topic. */
  public synchronized Map<Integer, Long> head() {
    Map<Integer, Long> m = new HashMap<>();
    accepted.forEach((k, v) -> m.put(k, (long) v.length() - 1));
    return m;
  }

  public synchronized long scheduledOf(int seq) {
    return trackedScheduled[seq];
  }

  public Histogram latency() {
    return latency.copy();
  }

  public Histogram sendLag() {
    return sendLag.copy();
  }

  public long sent() {
    return sent.get();
  }

  public long ok() {
    return ok.get();
  }

  public long refused() {
    return refused.get();
  }

  public long failed() {
    return failed.get();
  }

  public Set<String> errorSamples() {
    return errorSamples;
  }

  public void resetStats() {
    latency.reset();
    sendLag.reset();
    sent.set(0);
    ok.set(0);
    refused.set(0);
    failed.set(0);
  }

  public Future<Void> close() {
    return client.close();
  }
}
