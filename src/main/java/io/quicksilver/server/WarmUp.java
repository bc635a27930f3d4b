package io.quicksilver.server;

import io.quicksilver.auth.TokenSigner;
import io.quicksilver.config.ConfigLoader;
import io.quicksilver.config.HubConfig;
import io.quicksilver.mercure.HubPath;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the hub's request paths before the hub starts, so that the first clients of a new node (a pod in a
 * rollout meets a reconnect storm at once) find them compiled rather than interpreted.
 *
 * <p>The work is done on a private hub: standalone, in memory, listening on a random loopback port, with random
 * HMAC keys and both protocol generations, on its own Vert.x instance; it shares nothing with the real hub but the
 * code, and is closed before the real hub starts. Its clients are plain blocking sockets on threads of their own,
 * writing prepared requests, so that nearly all the CPU the warm-up gets goes to the hub's side of each request:
 * publishers send pipelined batches on keep-alive connections to a few kept subscribers (exact topics and URI
 * templates, so every publish is also delivered), openers open and close streams, some resuming from a cursor.
 * The clients work for the budget (the private hub's start and close come on top, about a second), or less when
 * enough requests were made; a failure only ends that client's part.
 */
public final class WarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  private static final String TOPIC = "https://warm-up.quicksilver.invalid/items/";
  private static final int TOPICS = 4;
  private static final int KEPT_STREAMS = 8;
  private static final int PUBLISHERS = 2;
  private static final int OPENERS = 3;
  /** Publishes written at once on a publisher's connection (HTTP/1.1 pipelining), streams an opener opens at once. */
  private static final int BATCH = 16;
  /** Enough requests for the JIT's last tier on every path the clients take. */
  private static final long MAX_PUBLISHES = 200_000;
  private static final long MAX_OPENS = 40_000;
  /** A client that waits longer than this for the private hub gives up its part. */
  private static final int READ_TIMEOUT_MILLIS = 5_000;
  private static final int CURSORS = 64;

  private final int port;
  private final String token;
  private final long deadline;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong opened = new AtomicLong();
  /** Ids of earlier publishes, for streams that resume from a cursor. */
  private final AtomicReferenceArray<String> cursors = new AtomicReferenceArray<>(CURSORS);

  private WarmUp(int port, String token, long deadline) {
    this.port = port;
    this.token = token;
    this.deadline = deadline;
  }

  /**
   * What a warm-up did.
   *
   * @param publishes publishes accepted (200)
   * @param streams   streams opened and closed (besides the few kept open throughout)
   */
  public record Result(long publishes, long streams) {
  }

  /**
   * Warms up for at most {@code budget} (zero: does nothing). Never fails: a warm-up that cannot run is logged
   * and skipped (its result then counts nothing).
   */
  public static Future<Result> run(HubConfig config, Duration budget) {
    if (budget.isZero() || budget.isNegative()) {
      return Future.succeededFuture(new Result(0, 0));
    }
    long started = System.nanoTime();
    String publisherKey = secret();
    HubConfig warm = ConfigLoader.load(Map.of(
        "QS_HTTP_HOST", "127.0.0.1",
        "QS_HTTP_PORT", "0",
        "QS_EVENT_LOOPS", Integer.toString(config.server().eventLoops()),
        "QS_TRANSPORT", config.server().transport().name().toLowerCase(Locale.ROOT), // the paths the real listener takes
        "MERCURE_PUBLISHER_JWT_KEY", publisherKey,
        "MERCURE_SUBSCRIBER_JWT_KEY", secret(),
        "QS_ANONYMOUS", "true",
        "QS_METRICS", Boolean.toString(config.ops().metrics()),
        "QS_METRICS_PORT", "0"), null);
    return Hub.start(warm).compose(hub -> {
      String token = TokenSigner.of(hub.vertx(), "HS256", publisherKey, null)
          .sign(new JsonObject().put("mercure", new JsonObject().put("publish", new JsonArray().add("*"))));
      WarmUp run = new WarmUp(hub.port(), token, System.nanoTime() + budget.toNanos());
      Promise<Result> done = Promise.promise();
      Thread driver = new Thread(() -> done.complete(run.drive()), "quicksilver-warm-up");
      driver.setDaemon(true);
      driver.start();
      return done.future()
          .onSuccess(r -> LOG.info("warm-up: {} publishes and {} streams opened in {} ms", r.publishes(), r.streams(),
              Duration.ofNanos(System.nanoTime() - started).toMillis()))
          .eventually(hub::close);
    }).otherwise(err -> {
      LOG.warn("warm-up skipped: {}", err.toString());
      return new Result(0, 0);
    });
  }

  /** Runs the clients on threads of their own until the budget or the counts are reached. */
  private Result drive() {
    List<Socket> kept = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try {
      for (int i = 0; i < KEPT_STREAMS; i++) {
        Socket socket = connect();
        kept.add(socket);
        socket.getOutputStream().write(subscription(i % 2 == 0 ? TOPIC + (i % TOPICS) : TOPIC + "{id}", null));
        threads.add(start("reader-" + i, () -> discard(socket)));
      }
      for (int i = 0; i < PUBLISHERS; i++) {
        threads.add(start("publisher-" + i, this::publishLoop));
      }
      for (int i = 0; i < OPENERS; i++) {
        threads.add(start("opener-" + i, this::openLoop));
      }
      for (Thread thread : threads) {
        if (!thread.getName().contains("reader")) {
          thread.join(Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()) + READ_TIMEOUT_MILLIS);
        }
      }
    } catch (IOException e) {
      LOG.debug("warm-up: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      kept.forEach(WarmUp::closeQuietly);
    }
    return new Result(accepted.get(), opened.get());
  }

  private boolean more() {
    return System.nanoTime() - deadline < 0;
  }

  private static Thread start(String name, Runnable work) {
    Thread thread = new Thread(work, "quicksilver-warm-up-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
    return socket;
  }

  private void publishLoop() {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      Responses in = new Responses(socket.getInputStream());
      while (more() && sent.get() < MAX_PUBLISHES) {
        ByteArrayOutputStream batch = new ByteArrayOutputStream(BATCH * 512);
        for (int i = 0; i < BATCH; i++) {
          batch.write(publish(sent.incrementAndGet()));
        }
        batch.writeTo(out);
        for (int i = 0; i < BATCH; i++) {
          String body = in.next();
          if (in.status() == 200) {
            long n = accepted.incrementAndGet();
            if (n % 97 == 0) {
              cursors.set((int) (n / 97 % CURSORS), body);
            }
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("warm-up publisher: {}", e.toString());
    }
  }

  private void openLoop() {
    Socket[] batch = new Socket[BATCH];
    while (more() && opened.get() < MAX_OPENS) {
      try {
        for (int i = 0; i < BATCH; i++) {
          long n = opened.incrementAndGet();
          String cursor = n % 2 == 0 ? cursors.get((int) (n % CURSORS)) : null;
          batch[i] = connect();
          String selector = switch ((int) (n % 3)) {
            case 0 -> TOPIC + "{id}";
            case 1 -> TOPIC + (n % TOPICS);
            default -> TOPIC + "own/" + n;
          };
          batch[i].getOutputStream().write(subscription(selector, cursor));
        }
        for (Socket socket : batch) {
          new Responses(socket.getInputStream()).head();
        }
      } catch (IOException e) {
        LOG.debug("warm-up opener: {}", e.toString());
        return;
      } finally {
        for (int i = 0; i < BATCH; i++) {
          if (batch[i] != null) {
            closeQuietly(batch[i]);
            batch[i] = null;
          }
        }
      }
    }
  }

  private static void discard(Socket socket) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = socket.getInputStream();
      while (in.read(buffer) >= 0) {
        // the kept streams only need to be read
      }
    } catch (IOException e) {
      // closed at the end of the warm-up, or timed out between publishes
    }
  }

  private byte[] publish(long n) {
    // every other publish goes to a topic of its own, as most real ones do (the hub's per-topic caches miss)
    String topic = n % 2 == 0 ? TOPIC + (n % TOPICS) : TOPIC + "own/" + n;
    String body = "topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8)
        + "&data=" + URLEncoder.encode("{\"warm-up\":" + n + "}", StandardCharsets.UTF_8)
        + (n % 8 == 0 ? "&private=on" : "");
    return ("POST " + HubPath.VALUE + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  private byte[] subscription(String selector, String cursor) {
    return ("GET " + HubPath.VALUE + "?topic=" + URLEncoder.encode(selector, StandardCharsets.UTF_8) + " HTTP/1.1\r\nHost: 127.0.0.1:"
        + port + "\r\nAccept: text/event-stream\r\n" + (cursor == null ? "" : "Last-Event-ID: " + cursor + "\r\n") + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  private static String secret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Reads HTTP/1.1 responses with a {@code Content-Length} one after the other (the private hub's publish answers). */
  private static final class Responses {

    private final InputStream in;
    private final byte[] buffer = new byte[8 * 1024];
    private int start;
    private int end;
    private int status;
    private int length;

    Responses(InputStream in) {
      this.in = in;
    }

    int status() {
      return status;
    }

    /** Reads the next response's head; its status and length are then known. */
    void head() throws IOException {
      int scanned = 0; // bytes after start known not to begin the blank line (fill may move start)
      while (true) {
        for (int i = start + scanned; i + 3 < end; i++) {
          if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
            parse(new String(buffer, start, i - start, StandardCharsets.ISO_8859_1));
            start = i + 4;
            return;
          }
        }
        scanned = Math.max(0, end - start - 3);
        fill();
      }
    }

    /** Reads the next whole response and returns its body. */
    String next() throws IOException {
      head();
      while (end - start < length) {
        fill();
      }
      String body = new String(buffer, start, length, StandardCharsets.UTF_8);
      start += length;
      return body;
    }

    private void parse(String head) throws IOException {
      String[] lines = head.split("\r\n");
      String[] statusLine = lines[0].split(" ");
      if (statusLine.length < 2) {
        throw new IOException("not an HTTP response: " + lines[0]);
      }
      status = Integer.parseInt(statusLine[1]);
      length = 0;
      for (String line : lines) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).trim());
        }
      }
      if (length > buffer.length / 2) {
        throw new IOException("unexpected response length " + length);
      }
    }

    private void fill() throws IOException {
      if (start > 0) {
        System.arraycopy(buffer, start, buffer, 0, end - start);
        end -= start;
        start = 0;
      }
      if (end == buffer.length) {
        throw new IOException("response head too long");
      }
      int read = in.read(buffer, end, buffer.length - end);
      if (read < 0) {
        throw new IOException("the private hub closed the connection");
      }
      end += read;
    }
  }
}
