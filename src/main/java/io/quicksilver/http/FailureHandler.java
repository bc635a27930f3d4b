package io.quicksilver.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.quicksilver.mercure.HubPath;
import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.metrics.HubMetrics;
import io.vertx.core.Handler;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: maps a failed request to its status and a one-line {@code text/plain} reason.
 *
 * <p>{@link ProtocolException}s carry their own status, and refusals of draft-08 credentials get their
 * {@code WWW-Authenticate: Bearer} challenge; router statuses (404, 405, ...) keep theirs;
 * anything else is a bug in the hub, logged with its stack trace and answered 500. A response whose
 * head is already written (an open stream) cannot change status: its connection is closed instead.
 */
public final class FailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  private final HubMetrics metrics;
  private final String configuredResource;

  /**
   * @param configuredResource the configured resource identifier, or null to derive it from each request
   *                           (it names the metadata document in draft-08 challenges)
   */
  public FailureHandler(HubMetrics metrics, String configuredResource) {
    this.metrics = metrics;
    this.configuredResource = configuredResource;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpClosedException) {
      return; // the client went away mid-request: nobody to answer
    }
    int status;
    String reason;
    String challenge = null;
    if (failure instanceof ProtocolException pe) {
      status = pe.status();
      reason = pe.reason();
      if (pe.bearerError() != null) {
        challenge = challenge(ctx, pe.bearerError());
      }
      if ("invalid_token".equals(pe.bearerError())) {
        // one answer for every failed validation, so the response does not tell an attacker which check failed
        LOG.debug("access token refused on {} {}: {}", ctx.request().method(), ctx.request().path(), reason);
        reason = "invalid access token";
      }
    } else if (failure instanceof HttpException he) {
      status = he.getStatusCode();
      reason = he.getPayload() != null ? he.getPayload() : HttpResponseStatus.valueOf(status).reasonPhrase();
    } else if (!validHost(ctx)) {
      // the router itself fails a request whose Host header it cannot parse: the client's fault, not ours
      status = 400;
      reason = "a valid Host header is required";
    } else if (failure == null && ctx.statusCode() >= 400) {
      status = ctx.statusCode();
      reason = HttpResponseStatus.valueOf(status).reasonPhrase();
    } else {
      status = 500;
      reason = "internal error";
      LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
    }
    if (ctx.request().method() == HttpMethod.POST && HubPath.VALUE.equals(ctx.request().path())) {
      metrics.rejected(status);
    }
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      ctx.request().connection().close();
      return;
    }
    if (challenge != null) {
      response.putHeader("WWW-Authenticate", challenge);
    }
    respond(response, status, reason);
  }

  private static boolean validHost(RoutingContext ctx) {
    try {
      return ctx.request().authority() != null;
    } catch (VertxException e) {
      return false;
    }
  }

  /** A {@code Bearer} challenge (RFC 6750 section 3) naming the metadata document (RFC 9728 section 5.1). */
  private String challenge(RoutingContext ctx, String error) {
    String metadata;
    try {
      metadata = "resource_metadata=\"" + Requests.resourceMetadataUrl(Requests.resourceIdentifier(ctx.request(), configuredResource)) + "\"";
    } catch (ProtocolException e) {
      metadata = null; // a Host header that makes no URL: the challenge cannot name the document
    }
    String code = error.isEmpty() ? null : "error=\"" + error + "\"";
    return "Bearer " + (metadata == null ? (code == null ? "" : code) : code == null ? metadata : metadata + ", " + code);
  }

  /** Answers with a status and a one-line plain-text reason. */
  public static void respond(HttpServerResponse response, int status, String reason) {
    response.setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store");
    if (status == 503) {
      response.putHeader("Retry-After", "1");
    }
    response.end(reason + "\n");
  }
}
