package io.quicksilver.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log ({@code log.access}): one line per request when its response ends or its connection closes
 * (a stream is logged when it ends, with its whole duration), on the logger {@code io.quicksilver.access}, with
 * {@code method}, {@code path}, {@code status}, {@code duration_ms} and {@code client} as key-value pairs (fields
 * of their own in the JSON format). Never the query string (it may carry an {@code authorization} token), never
 * a header. The client is the trusted proxy's word when there is one ({@link TrustedProxies}).
 */
public final class AccessLog implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("io.quicksilver.access");
  private static final int MAX_PATH = 1024;

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest request = ctx.request();
    String method = request.method().name();
    String path = request.path() == null ? "" : request.path();
    if (path.length() > MAX_PATH) {
      path = path.substring(0, MAX_PATH) + "…";
    }
    SocketAddress remote = request.remoteAddress();
    String client = remote == null ? "-" : remote.hostAddress();
    String loggedPath = path;
    ctx.addEndHandler(ar -> {
      int status = ctx.response().getStatusCode();
      long ms = (System.nanoTime() - start) / 1_000_000;
      LOG.atInfo()
          .addKeyValue("method", method)
          .addKeyValue("path", loggedPath)
          .addKeyValue("status", status)
          .addKeyValue("duration_ms", ms)
          .addKeyValue("client", client)
          .log("{} {} {} {}ms {}", method, loggedPath, status, ms, client);
    });
    ctx.next();
  }
}
