package io.quicksilver.publish;

import io.quicksilver.auth.Authentication;
import io.quicksilver.auth.MercureClaims;
import io.quicksilver.history.NotStoredException;
import io.quicksilver.history.OutcomeUnknownException;
import io.quicksilver.http.BodyReader;
import io.quicksilver.http.RequestLimits;
import io.quicksilver.http.Requests;
import io.quicksilver.mercure.Draft08Topics;
import io.quicksilver.mercure.FormData;
import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.mercure.ReservedTopics;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /.well-known/mercure} (classic protocol, "Publication").
 *
 * <p>Checks in order: a publisher token (401, by the {@link io.quicksilver.http.AuthenticationHandler} before this
 * handler, and here when the request presents none), the body size (413), the media type (415), the fields
 * (400; a draft-08 update with too many topics: 413), no topic in the hub's reserved namespace and no
 * {@code type=mercure}, whoever publishes (400, {@link ReservedTopics}), that every topic matches a
 * {@code mercure.publish} selector (403). Only then is the update handed to
 * the node's {@link Publisher} (a direct call, answered on the request's event loop); the answer is {@code 200 text/plain} with the bare id once the
 * event store holds the update, 503 with {@code Retry-After} when it is not stored and never will be (and
 * then it was not dispatched), or 504 when the store could not say in time whether it holds it.
 */
public final class PublishHandler implements Handler<RoutingContext> {

  private final RequestLimits limits;
  private final Publisher publisher;

  public PublishHandler(RequestLimits limits, Publisher publisher) {
    this.limits = limits;
    this.publisher = publisher;
  }

  /**
   * Whether a publish says it speaks draft-08 before its token is read: only when it presents no token at all,
   * so that a draft-08 client gets its challenge (a classic one ignores it); otherwise the token decides.
   */
  public static boolean draft08Hint(RoutingContext ctx, String cookieName) {
    return ctx.request().getHeader("Authorization") == null && ctx.request().getCookie(cookieName) == null
        && !Requests.query(ctx.request()).has("authorization");
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Authentication auth = Authentication.of(ctx);
    MercureClaims claims = auth.require("a publisher token is required");
    String resource = auth.resourceIdentifier();
    Context context = Vertx.currentContext();
    BodyReader.read(request, limits.maxBody())
        .map(body -> {
          FormData form = BodyReader.form(request, body, limits.maxFields());
          int maxTopics = limits.maxTopics();
          if (auth.draft08() && form.count("topic") > maxTopics) {
            throw new ProtocolException(413, "too many \"topic\" fields (at most " + maxTopics + ")");
          }
          PublishRequest publish = PublishRequest.from(form, maxTopics);
          ReservedTopics reserved = ReservedTopics.of(resource);
          if (auth.draft08()) {
            Draft08Topics.checkPublishTopics(publish.topics(), reserved);
            Draft08Topics.checkUpdateFields(publish.id(), publish.type());
          } else {
            reserved.check(publish.topics());
          }
          if (!claims.mayPublishAll(publish.topics())) {
            throw auth.generation().notGranted("the token does not allow publishing to every topic of this update");
          }
          return publish;
        })
        .compose(publisher::publish)
        .onComplete(ar -> {
          if (context == null || Vertx.currentContext() == context) {
            answer(ctx, ar.succeeded() ? ar.result() : null, ar.cause());
          } else {
            context.runOnContext(v -> answer(ctx, ar.succeeded() ? ar.result() : null, ar.cause())); // the store answered elsewhere
          }
        });
  }

  private static void answer(RoutingContext ctx, String id, Throwable failure) {
    if (failure != null) {
      ctx.fail(failure instanceof NotStoredException || failure instanceof OutcomeUnknownException ? refusal(failure) : failure);
      return;
    }
    ctx.response()
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(id);
  }

  /** 503: the update is not stored and never will be (retry); 504: the store did not say in time whether it holds it. */
  private static ProtocolException refusal(Throwable failure) {
    return failure instanceof OutcomeUnknownException
        ? new ProtocolException(504, "the history store did not confirm the update in time; it may or may not be stored")
        : new ProtocolException(503, "the update could not be stored; retry");
  }
}
