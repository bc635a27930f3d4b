package io.quicksilver.http;

import io.quicksilver.auth.Authentication;
import io.quicksilver.auth.Authorizer;
import io.quicksilver.mercure.FormData;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Predicate;

/**
 * The one authentication step of the hub's routes: reads the request's credentials, has the role's
 * {@link Authorizer} verify them (off nothing: verification never blocks), puts the {@link Authentication} — the
 * verified claims and the request's protocol generation — on the routing context, and hands over to the next
 * handler. A refusal fails the context with the generation's answer, for the {@link FailureHandler}.
 *
 * <p>The next handler always runs on the request's own event loop, even when verification waited for a JWK Set
 * read made elsewhere; the request is paused meanwhile, so that no body chunk arrives before a handler reads it.
 */
public final class AuthenticationHandler implements Handler<RoutingContext> {

  /** The key of the routing context under which a handler before this one may leave the query it parsed. */
  public static final String QUERY = "quicksilver.query";

  private final Authorizer authorizer;
  private final String cookieName;
  private final String configuredResource;
  private final Predicate<RoutingContext> draft08Hint;

  /**
   * @param configuredResource the configured resource identifier, or null to derive it from each request
   * @param draft08Hint        whether the request itself says it speaks draft-08 (read before any token is)
   */
  public AuthenticationHandler(Authorizer authorizer, String cookieName, String configuredResource,
                               Predicate<RoutingContext> draft08Hint) {
    this.authorizer = authorizer;
    this.cookieName = cookieName;
    this.configuredResource = configuredResource;
    this.draft08Hint = draft08Hint;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String resource = Requests.resourceIdentifier(ctx.request(), configuredResource);
    FormData query = ctx.get(QUERY) != null ? ctx.get(QUERY) : Requests.query(ctx.request());
    boolean hint = draft08Hint.test(ctx);
    Context context = Vertx.currentContext();
    Future<Authentication> authentication = authorizer.authenticate(Requests.credentials(ctx.request(), query, cookieName), hint, resource);
    // waiting for a JWK Set read: hold the request body back until the next handler reads it
    boolean paused = !authentication.isComplete();
    if (paused) {
      ctx.request().pause();
    }
    authentication.onComplete(ar -> {
      Runnable next = () -> {
        if (ar.failed()) {
          ctx.fail(ar.cause());
        } else {
          ctx.put(Authentication.KEY, ar.result());
          ctx.next();
        }
        if (paused) {
          ctx.request().resume(); // the next handler set its body handlers, if it reads the body
        }
      };
      if (context == null || Vertx.currentContext() == context) {
        next.run();
      } else {
        context.runOnContext(v -> next.run());
      }
    });
  }
}
