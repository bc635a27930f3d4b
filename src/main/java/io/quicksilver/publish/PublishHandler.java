package io.quicksilver.publish;

import io.quicksilver.auth.Authorizer;
import io.quicksilver.auth.MercureClaims;
import io.quicksilver.config.HubConfig;
import io.quicksilver.config.ProtocolMode;
import io.quicksilver.http.BodyReader;
import io.quicksilver.http.Requests;
import io.quicksilver.mercure.Draft08Topics;
import io.quicksilver.mercure.FormData;
import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.mercure.ReservedTopics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /.well-known/mercure} (classic protocol, "Publication").
 *
 * <p>Checks in order: a publisher token (401), the body size (413), the media type (415), the fields
 * (400; a draft-08 update with too many topics: 413), no topic in the hub's reserved namespace and no
 * {@code type=mercure}, whoever publishes (400, {@link ReservedTopics}), that every topic matches a
 * {@code mercure.publish} selector (403). Only then is the update sent to
 * the node's {@link PublisherVerticle}; the answer is {@code 200 text/plain} with the bare id once the
 * event store holds the update, or 503 with {@code Retry-After} when it could not be stored (and then it
 * was not dispatched).
 */
public final class PublishHandler implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final HubConfig config;
  private final Authorizer authorizer;

  public PublishHandler(Vertx vertx, HubConfig config, Authorizer authorizer) {
    this.vertx = vertx;
    this.config = config;
    this.authorizer = authorizer;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    ProtocolMode mode = config.protocol().mode();
    String resource = Requests.resourceIdentifier(request, config.protocol().resourceIdentifier());
    MercureClaims claims = authorizer.claims(Requests.credentials(request, Requests.query(request), config.auth().cookieName()), true,
        mode == ProtocolMode.DRAFT_08, resource);
    if (claims == null) {
      // the request's generation is unknown without a token: draft-08 clients get their challenge, classic ones ignore it
      throw mode.draft08Enabled() ? ProtocolException.tokenRequired("a publisher token is required")
          : ProtocolException.unauthorized("a publisher token is required");
    }
    boolean draft08 = claims.draft08() || mode == ProtocolMode.DRAFT_08;
    BodyReader.read(request, config.http().maxBody())
        .map(body -> {
          FormData form = BodyReader.form(request, body, config.http().maxFields());
          int maxTopics = config.stream().maxTopics();
          if (draft08 && form.count("topic") > maxTopics) {
            throw new ProtocolException(413, "too many \"topic\" fields (at most " + maxTopics + ")");
          }
          PublishRequest publish = PublishRequest.from(form, maxTopics);
          ReservedTopics reserved = ReservedTopics.of(resource);
          if (draft08) {
            Draft08Topics.checkPublishTopics(publish.topics(), reserved);
            Draft08Topics.checkUpdateFields(publish.id(), publish.type());
          } else {
            reserved.check(publish.topics());
          }
          if (!claims.mayPublishAll(publish.topics())) {
            throw draft08 ? ProtocolException.insufficientScope("the token does not grant publishing to every topic of this update")
                : ProtocolException.forbidden("the token does not allow publishing to every topic of this update");
          }
          return publish;
        })
        .compose(publish -> LocalPublisher.publish(vertx, publish))
        .onSuccess(id -> ctx.response()
            .putHeader("Content-Type", "text/plain; charset=utf-8")
            .putHeader("Cache-Control", "no-store")
            .end(id))
        .onFailure(err -> ctx.fail(err instanceof ReplyException
            ? new ProtocolException(503, "the update could not be stored; retry")
            : err));
  }
}
