package io.quicksilver.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hub's CPU per delivery by transport: HTTP/1.1 or HTTP/2, cleartext or TLS, and for HTTP/2 how many
 * streams share a connection. Opens {@code connections × streams} subscribers to one topic, warms up, then
 * publishes {@code publishes} updates at {@code rate} per second over a separate HTTP/1.1 connection, waits for
 * every delivery, and divides the hub's CPU time (from /proc) by the deliveries. One JSON line on stdout.
 *
 * <pre>
 * java -cp quicksilver-bench.jar io.quicksilver.bench.ProtocolCost --hub https://127.0.0.1:8443 --protocol h2 \
 *   --connections 100 --streams 10 --publishes 500 --rate 5 --hub-pid PID --publisher-key KEY
 * </pre>
 */
public final class ProtocolCost {

  private ProtocolCost() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>(Map.of("hub", "http://127.0.0.1:8080", "protocol", "h1", "connections", "1000",
        "streams", "1", "publishes", "300", "rate", "5", "warmup", "50", "hub-pid", "0", "label", ""));
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    URI hub = URI.create(o.get("hub"));
    boolean tls = "https".equals(hub.getScheme());
    boolean h2 = "h2".equals(o.get("protocol"));
    int connections = Integer.parseInt(o.get("connections"));
    int streams = h2 ? Integer.parseInt(o.get("streams")) : 1;
    int publishes = Integer.parseInt(o.get("publishes"));
    double rate = Double.parseDouble(o.get("rate"));
    long pid = Long.parseLong(o.get("hub-pid"));
    String token = Jwt.hs256(o.get("publisher-key"), "publish");
    String topic = "https://example.com/protocol-cost/" + System.nanoTime();

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClientOptions co = new HttpClientOptions().setSsl(tls).setTrustAll(true).setVerifyHost(false).setSslHandshakeTimeout(120)
        .setProtocolVersion(h2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1).setUseAlpn(tls)
        .setHttp2ClearTextUpgrade(false).setHttp2MultiplexingLimit(streams).setHttp2ConnectionWindowSize(16 << 20)
        .setKeepAlive(true);
    PoolOptions po = new PoolOptions().setHttp1MaxSize(connections * streams).setHttp2MaxSize(connections).setMaxWaitQueueSize(-1);
    HttpClientAgent subscribers = vertx.httpClientBuilder().with(co).with(po).build();
    HttpClientAgent publisher = vertx.createHttpClient(new HttpClientOptions().setSsl(tls).setTrustAll(true).setVerifyHost(false)
        .setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(4));

    AtomicLong delivered = new AtomicLong();
    Map<Object, Boolean> seenConnections = java.util.Collections.synchronizedMap(new IdentityHashMap<>());
    String path = "/.well-known/mercure?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
    List<Future<?>> opening = new ArrayList<>();
    for (int i = 0; i < connections * streams; i++) {
      SseParser parser = new SseParser((id, type, data) -> delivered.incrementAndGet());
      RequestOptions ro = new RequestOptions().setMethod(HttpMethod.GET).setHost(hub.getHost()).setPort(hub.getPort()).setURI(path)
          .putHeader("Accept", "text/event-stream");
      opening.add(subscribers.request(ro).compose(r -> r.send()).map(resp -> {
        if (resp.statusCode() != 200) {
          throw new IllegalStateException("subscribe answered " + resp.statusCode());
        }
        seenConnections.put(resp.request().connection(), true);
        resp.handler(b -> parser.feed(b.getBytes()));
        return null;
      }));
      if (i % 50 == 49) { // a few handshakes at a time: both sides have one core
        Future.all(opening).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      }
    }
    Future.all(opening).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    int subscribersOpen = connections * streams;

    publishAll(vertx, publisher, hub, token, topic, Integer.parseInt(o.get("warmup")), rate * 4, delivered,
        (long) Integer.parseInt(o.get("warmup")) * subscribersOpen);
    delivered.set(0);
    double cpu0 = HubProbe.cpuSeconds(pid);
    long t0 = System.nanoTime();
    publishAll(vertx, publisher, hub, token, topic, publishes, rate, delivered, (long) publishes * subscribersOpen);
    double cpu1 = HubProbe.cpuSeconds(pid);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long deliveries = delivered.get();
    JsonObject line = new JsonObject()
        .put("label", o.get("label"))
        .put("protocol", h2 ? "h2" : "http/1.1").put("tls", tls)
        .put("connections", seenConnections.size()).put("streamsPerConnection", streams).put("subscribers", subscribersOpen)
        .put("publishes", publishes).put("rate", rate).put("deliveries", deliveries)
        .put("hubCpuSeconds", cpu1 - cpu0).put("seconds", seconds)
        .put("hubCpuPercent", 100 * (cpu1 - cpu0) / seconds)
        .put("hubMicrosPerDelivery", deliveries == 0 ? -1 : (cpu1 - cpu0) * 1e6 / deliveries);
    System.out.println(line.encode());
    subscribers.close().transform(x -> publisher.close()).transform(x -> vertx.close()).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  /** Publishes {@code n} updates open-loop at {@code rate}/s, then waits (at most 60 s) until {@code expected} deliveries arrived. */
  private static void publishAll(Vertx vertx, HttpClientAgent client, URI hub, String token, String topic, int n, double rate,
                                 AtomicLong delivered, long expected) throws Exception {
    long intervalNanos = (long) (1e9 / rate);
    long start = System.nanoTime();
    List<Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      Buffer body = Buffer.buffer("topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8) + "&data=" + i);
      RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost(hub.getHost()).setPort(hub.getPort())
          .setURI("/.well-known/mercure").putHeader("Authorization", "Bearer " + token)
          .putHeader("Content-Type", "application/x-www-form-urlencoded");
      sent.add(client.request(ro).compose(r -> r.send(body)).compose(r -> r.body()));
    }
    Future.all(sent).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (delivered.get() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }
}
