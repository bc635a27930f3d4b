package io.quicksilver.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every connection of one HTTP verticle instance goes through before the router:
 *
 * <ul>
 *   <li>admission: a connection past {@link Capacity}'s limit is closed as soon as it is accepted;</li>
 *   <li>the header timeout (slowloris, CWE-400): a connection must deliver a request's head within the timeout of
 *       opening or of its previous answer, and a request's body (publish, {@code QUERY}) within the timeout of its
 *       head, or it is closed. One sweep per instance checks every connection a few times per timeout, so a
 *       connection is closed between one and one and a quarter timeouts after it went quiet. A connection serving a
 *       stream is busy, never idle;</li>
 *   <li>a request's Host header: one, and one Vert.x's parser does not fail on; a path whose percent signs all start
 *       escapes (400 before the router); no transfer coding but chunked (501);</li>
 *   <li>the cap on query parameters (400 before any handler parses them);</li>
 *   <li>{@code X-Content-Type-Options: nosniff} and {@code X-Frame-Options: DENY} on every response, errors and
 *       requests Vert.x refuses itself (414, 431) included.</li>
 * </ul>
 *
 * <p>Event-loop confined: the handlers and the sweep run on the instance's event loop.
 */
public final class ConnectionGuard {

  /** A connection and its requests still being answered. */
  private static final class Watched {
    final List<HttpServerRequest> active = new ArrayList<>(1);
    /** When the connection was first seen waiting for a request head (0: busy). */
    long idleSinceNanos;
    long lastRequestNanos;

    Watched(long now) {
      idleSinceNanos = now;
    }
  }

  private final Vertx vertx;
  private final Capacity capacity;
  private final long timeoutNanos;
  private final int maxFields;
  private final Map<HttpConnection, Watched> watched = new IdentityHashMap<>();
  private long sweeper = -1;

  /**
   * @param headerTimeout how long a connection may take to deliver a request (0: no limit)
   * @param maxFields     most parameters of a query string
   */
  public ConnectionGuard(Vertx vertx, Capacity capacity, Duration headerTimeout, int maxFields) {
    this.vertx = vertx;
    this.capacity = capacity;
    this.timeoutNanos = headerTimeout.toNanos();
    this.maxFields = maxFields;
  }

  /** The security headers every response of the hub carries. */
  public static void secure(HttpServerResponse response) {
    response.putHeader("X-Content-Type-Options", "nosniff").putHeader("X-Frame-Options", "DENY");
  }

  /** Takes over the server's connection, request and invalid-request handlers; requests that pass go to {@code next}. */
  public void install(HttpServer server, Handler<HttpServerRequest> next) {
    server.connectionHandler(this::connected);
    server.requestHandler(request -> request(request, next));
    server.invalidRequestHandler(request -> {
      secure(request.response());
      // Vert.x closes the connection after this answer (414, 431, 400): say so, or a client reuses it for its next request
      request.response().putHeader("Connection", "close");
      HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
    });
    if (timeoutNanos > 0) {
      sweeper = vertx.setPeriodic(Math.max(50, timeoutNanos / 4_000_000), id -> sweep(System.nanoTime()));
    }
  }

  /** Stops the sweep. */
  public void stop() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
  }

  private void connected(HttpConnection connection) {
    if (!capacity.openConnection()) {
      connection.close();
      return;
    }
    watched.put(connection, new Watched(System.nanoTime()));
    connection.closeHandler(v -> {
      watched.remove(connection);
      capacity.closeConnection();
    });
  }

  private void request(HttpServerRequest request, Handler<HttpServerRequest> next) {
    secure(request.response());
    Watched w = watched.get(request.connection());
    if (w != null) {
      // the requests answered since are let go now, not at the next sweep (a keep-alive publisher sends thousands)
      w.active.removeIf(ConnectionGuard::answered);
      w.active.add(request);
      w.idleSinceNanos = 0;
      w.lastRequestNanos = System.nanoTime();
    }
    if (request.headers().getAll("Host").size() > 1 || hostUnparseable(request)) {
      FailureHandler.respond(request.response(), 400, "a valid Host header is required");
      return;
    }
    String coding = request.getHeader("Transfer-Encoding");
    if (coding != null && !coding.trim().equalsIgnoreCase("chunked")) {
      // RFC 9112, section 6.1: a coding the hub does not apply; read as plain chunks, the body would be misread
      request.response().putHeader("Connection", "close");
      FailureHandler.respond(request.response(), 501, "the only transfer coding taken is chunked");
      return;
    }
    if (!escapesValid(request.path())) {
      FailureHandler.respond(request.response(), 400, "a percent sign in the path that starts no escape");
      return;
    }
    String query = request.query();
    if (query != null && fields(query) > maxFields) {
      FailureHandler.respond(request.response(), 400, "more than " + maxFields + " query parameters");
      return;
    }
    next.handle(request);
  }

  /**
   * Whether Vert.x's own parser fails on the request's Host header: it throws on some with a percent sign (Vert.x 5.0.7
   * reads the escape's digits at the wrong index). The router asks it first, and a throw there leaves the request
   * unanswered; a header it merely finds invalid is the router's 400. Only a Host with a percent sign is parsed here,
   * so that other requests are not parsed twice.
   */
  private static boolean hostUnparseable(HttpServerRequest request) {
    String host = request.getHeader("Host");
    if (host == null || host.indexOf('%') < 0) {
      return false;
    }
    try {
      HostAndPort.parseAuthority(host, -1); // the parser the router's check uses
      return false;
    } catch (RuntimeException e) {
      return true;
    }
  }

  /**
   * Whether every percent sign of a path starts an escape (two hex digits): the router's path normalisation throws on
   * one that does not, and answers with a stack trace in the log.
   */
  static boolean escapesValid(String path) {
    if (path == null) {
      return true;
    }
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length() || !HexFormat.isHexDigit(path.charAt(i + 1)) || !HexFormat.isHexDigit(path.charAt(i + 2))) {
        return false;
      }
    }
    return true;
  }

  private static boolean answered(HttpServerRequest request) {
    return request.response().ended() || request.response().closed();
  }

  /** Closes the connections that kept the hub waiting for a request head or body longer than the timeout. */
  private void sweep(long now) {
    List<HttpConnection> late = new ArrayList<>();
    // forEach, not entrySet(): an IdentityHashMap's entry iterator makes an object per entry, per sweep
    watched.forEach((connection, w) -> {
      w.active.removeIf(ConnectionGuard::answered);
      if (!w.active.isEmpty()) {
        boolean receiving = false;
        for (int i = 0; i < w.active.size() && !receiving; i++) {
          receiving = !w.active.get(i).isEnded();
        }
        if (receiving && now - w.lastRequestNanos > timeoutNanos) {
          late.add(connection);
        }
      } else if (w.idleSinceNanos == 0) {
        w.idleSinceNanos = now;
      } else if (now - w.idleSinceNanos > timeoutNanos) {
        late.add(connection);
      }
    });
    for (HttpConnection connection : late) {
      connection.close();
    }
  }

  /** The fields of a query string: one more than its separators. */
  private static int fields(String query) {
    int count = 1;
    for (int i = 0; i < query.length(); i++) {
      if (query.charAt(i) == '&') {
        count++;
      }
    }
    return count;
  }
}
