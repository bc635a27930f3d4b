package io.quicksilver.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An HTTP/2 client for tests (Vert.x), holding at most one connection to the hub so that every stream it
 * opens shares it: over TLS with ALPN (any certificate accepted), or cleartext with prior knowledge (h2c).
 * Streams parse Server-Sent Events into (id, data) pairs.
 */
public final class H2Client implements AutoCloseable {

  /** One SSE event. */
  public record Event(String id, String data) {
  }

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final HttpClientAgent client;
  private final int port;

  private H2Client(HttpClientOptions options, int port) {
    this.port = port;
    // a large connection window: a stream the test pauses must not hold back the others on the connection
    this.client = vertx.httpClientBuilder()
        .with(options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ConnectionWindowSize(16 << 20))
        .with(new PoolOptions().setHttp2MaxSize(1))
        .build();
  }

  /** HTTPS, HTTP/2 negotiated by ALPN. */
  public static H2Client tls(int port) {
    return new H2Client(new HttpClientOptions().setSsl(true).setUseAlpn(true).setTrustAll(true).setVerifyHost(false), port);
  }

  /** Cleartext HTTP/2 with prior knowledge. */
  public static H2Client cleartext(int port) {
    return new H2Client(new HttpClientOptions().setHttp2ClearTextUpgrade(false), port);
  }

  /** An answer read whole. */
  public record Answer(int status, HttpVersion version, String body, MultiMap headers) {
  }

  /** A request answered whole. */
  public Answer send(HttpMethod method, String pathAndQuery, Map<String, String> headers, String body) {
    RequestOptions o = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(pathAndQuery);
    headers.forEach(o::putHeader);
    return await(onContext(() -> client.request(o)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.version(), b.toString(StandardCharsets.UTF_8), resp.headers())))));
  }

  /** Publishes a form with a bearer token; the answer whole. */
  public Answer publish(String token, String form) {
    return send(HttpMethod.POST, "/.well-known/mercure",
        Map.of("Authorization", "Bearer " + token, "Content-Type", "application/x-www-form-urlencoded"), form);
  }

  /** Opens an SSE stream and waits for its head. */
  public Stream open(String pathAndQuery, Map<String, String> headers) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(pathAndQuery)
        .putHeader("Accept", "text/event-stream");
    headers.forEach(o::putHeader);
    Stream s = new Stream();
    return await(onContext(() -> client.request(o).compose(req -> req.send()).map(resp -> s.attach(resp))));
  }

  /**
   * Builds the chain on the client's event loop, so that each step is attached before the step it follows can end: a
   * chain built on the test's thread may attach its body read after the response ended (Vert.x 5.0.7 never completes
   * such a read) or its stream handler after the first bytes arrived.
   */
  private <T> Future<T> onContext(Supplier<Future<T>> chain) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> chain.get().onComplete(result));
    return result.future();
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    await(client.close().transform(ar -> vertx.close()));
  }

  /** One open stream. */
  public static final class Stream {
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger comments = new AtomicInteger();
    private final StringBuilder pending = new StringBuilder();
    private HttpClientResponse response;
    private volatile boolean ended;
    private volatile Throwable error;

    private Stream attach(HttpClientResponse resp) {
      this.response = resp;
      resp.handler(this::onData);
      resp.endHandler(v -> {
        ended = true;
        finished.countDown();
      });
      resp.exceptionHandler(e -> {
        error = e;
        finished.countDown();
      });
      return this;
    }

    public int status() {
      return response.statusCode();
    }

    public HttpVersion version() {
      return response.version();
    }

    /** The connection the stream is carried on. */
    public HttpConnection connection() {
      return response.request().connection();
    }

    public String header(String name) {
      return response.getHeader(name);
    }

    /** Stops reading (no more flow-control credit for this stream). */
    public void pause() {
      response.pause();
    }

    /** The next event, or an AssertionError after the timeout. */
    public Event next(Duration timeout) {
      try {
        Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
          throw new AssertionError("no event within " + timeout + (finished.getCount() == 0 ? " (stream finished: " + error + ")" : ""));
        }
        return e;
      } catch (InterruptedException ex) {
        throw new IllegalStateException(ex);
      }
    }

    /** Events received and not yet taken. */
    public List<Event> drain() {
      List<Event> out = new ArrayList<>();
      events.drainTo(out);
      return out;
    }

    /** Comment lines received (the opening comment, heartbeats). */
    public int comments() {
      return comments.get();
    }

    /** Waits until the server ends or resets the stream. */
    public boolean awaitFinish(Duration timeout) {
      try {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Whether the stream ended normally (END_STREAM), as opposed to a reset or an error. */
    public boolean endedNormally() {
      return ended;
    }

    /** The reset or error that finished the stream, or null. */
    public Throwable error() {
      return error;
    }

    private synchronized void onData(Buffer chunk) {
      pending.append(chunk.toString(StandardCharsets.UTF_8));
      int end;
      while ((end = pending.indexOf("\n\n")) >= 0) {
        String block = pending.substring(0, end);
        pending.delete(0, end + 2);
        String id = null;
        StringBuilder data = null;
        for (String line : block.split("\n")) {
          if (line.startsWith(":")) {
            comments.incrementAndGet();
          } else if (line.startsWith("id: ")) {
            id = line.substring(4);
          } else if (line.startsWith("data: ")) {
            data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
          }
        }
        if (data != null) {
          events.add(new Event(id, data.toString()));
        }
      }
    }
  }
}
