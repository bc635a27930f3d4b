package io.quicksilver.demo;

import io.quicksilver.alerts.Alert;
import io.quicksilver.alerts.AlertStore;
import io.quicksilver.alerts.AlertsVerticle;
import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.JwtSigner;
import io.quicksilver.auth.JwtVerifier;
import io.quicksilver.auth.MercureClaims;
import io.quicksilver.config.HubConfig;
import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.simulator.PriceSimulatorVerticle;
import io.quicksilver.subscribe.SubscribeHandler;
import io.quicksilver.subscribe.SubscriptionRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The demo's HTTP side: the pages, login with a session cookie and the {@code mercureAuthorization}
 * cookie, the price-alerts API, and the plain SSE stock stream ({@code /api/stream/stock/{symbol}}),
 * served by the hub's own delivery machinery.
 *
 * <p>API answers are JSON; failures go through the hub's failure handler (one-line reasons).
 */
public final class DemoRoutes {

  private static final int MAX_ALERTS_PER_USER = 50;

  private final Vertx vertx;
  private final HubConfig config;
  private final HubConfig.Demo demo;
  private final AlertStore alerts;
  private final Sessions sessions;
  private final JwtVerifier subscriberTokens;
  private final SubscribeHandler streams;
  private final Clock clock = Clock.systemUTC();

  public DemoRoutes(Vertx vertx, HubConfig config, AlertStore alerts, Sessions sessions, JwtVerifier subscriberTokens,
                    SubscribeHandler streams) {
    this.vertx = vertx;
    this.config = config;
    this.demo = config.demo();
    this.alerts = alerts;
    this.sessions = sessions;
    this.subscriberTokens = subscriberTokens;
    this.streams = streams;
  }

  /** Adds the demo's routes and the static pages. */
  public void mount(Router router) {
    router.get("/api/config").handler(this::config);
    router.get("/api/stream/stock/:symbol").handler(this::stockStream);
    router.route("/api/*").method(HttpMethod.POST).handler(BodyHandler.create().setBodyLimit(16 * 1024).setHandleFileUploads(false));
    router.post("/api/login").handler(this::login);
    router.post("/api/logout").handler(this::logout);
    router.get("/api/me").handler(this::me);
    router.post("/api/session/refresh").handler(this::me);
    router.get("/api/alerts").handler(this::listAlerts);
    router.post("/api/alerts").handler(this::addAlert);
    router.delete("/api/alerts/:id").handler(this::deleteAlert);
    if (!demo.debugUi()) {
      router.get("/debug.html").handler(ctx -> ctx.fail(404));
    }
    router.get("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html").setDefaultContentEncoding("UTF-8"));
  }

  private void config(RoutingContext ctx) {
    json(ctx, 200, new JsonObject()
        .put("hubUrl", "/.well-known/mercure")
        .put("publicUrl", demo.publicUrl())
        .put("symbols", new JsonArray(demo.symbols()))
        .put("stockTopicPrefix", demo.publicUrl() + "/stocks/")
        .put("debugUi", demo.debugUi()));
  }

  private void stockStream(RoutingContext ctx) {
    String symbol = ctx.pathParam("symbol").toUpperCase(Locale.ROOT);
    if (!demo.symbols().contains(symbol)) {
      throw new ProtocolException(404, "unknown symbol");
    }
    streams.open(ctx, List.of(SubscriptionRequest.Matcher.classic(PriceSimulatorVerticle.topic(demo, symbol))), MercureClaims.ANONYMOUS,
        ctx.request().getHeader("Last-Event-ID"));
  }

  private void login(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    String username = body.getValue("username") instanceof String s ? s : "";
    String password = body.getValue("password") instanceof String s ? s : "";
    Optional<HubConfig.User> user = demo.users().stream().filter(u -> u.id().equals(username)).findFirst();
    // PBKDF2 is deliberately slow: off the event loop
    vertx.executeBlocking(() -> user.isPresent() && Passwords.verify(password, user.get().passwordHash()))
        .onSuccess(ok -> {
          if (!ok) {
            ctx.fail(ProtocolException.unauthorized("unknown user or wrong password"));
            return;
          }
          ctx.response().addCookie(cookie(ctx.request(), Sessions.COOKIE, sessions.issue(user.get().id()), "/",
              sessions.lifetime().toSeconds()));
          json(ctx, 200, userJson(user.get()).put("tokenExpiresAt", setSubscriberCookie(ctx, user.get()).toEpochMilli()));
        })
        .onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    ctx.response().addCookie(cookie(ctx.request(), Sessions.COOKIE, "", "/", 0));
    ctx.response().addCookie(cookie(ctx.request(), config.auth().cookieName(), "", "/.well-known/mercure", 0));
    ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
  }

  /** {@code GET /api/me} and {@code POST /api/session/refresh}: who is logged in; renews the subscriber cookie. */
  private void me(RoutingContext ctx) {
    HubConfig.User user = sessionUser(ctx).orElseThrow(() -> ProtocolException.unauthorized("not logged in"));
    json(ctx, 200, userJson(user).put("tokenExpiresAt", setSubscriberCookie(ctx, user).toEpochMilli()));
  }

  private void listAlerts(RoutingContext ctx) {
    String userId = apiUser(ctx);
    alerts.of(userId)
        .onSuccess(list -> json(ctx, 200, new JsonArray(list.stream().map(Alert::toJson).toList())))
        .onFailure(err -> ctx.fail(new ProtocolException(503, "alerts unavailable")));
  }

  private void addAlert(RoutingContext ctx) {
    String userId = apiUser(ctx);
    JsonObject body = jsonBody(ctx);
    String symbol = body.getValue("symbol") instanceof String s ? s.toUpperCase(Locale.ROOT) : "";
    String direction = body.getValue("direction") instanceof String s ? s : "";
    Object thresholdValue = body.getValue("threshold");
    if (!demo.symbols().contains(symbol)) {
      throw ProtocolException.badRequest("\"symbol\" must be one of " + demo.symbols());
    }
    if (!direction.equals("above") && !direction.equals("below")) {
      throw ProtocolException.badRequest("\"direction\" must be above or below");
    }
    if (!(thresholdValue instanceof Number n) || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue())) {
      throw ProtocolException.badRequest("\"threshold\" must be a positive number");
    }
    Alert alert = new Alert(UUID.randomUUID().toString(), userId, symbol, direction.equals("above"), n.doubleValue());
    alerts.of(userId)
        .compose(existing -> {
          if (existing.size() >= MAX_ALERTS_PER_USER) {
            throw ProtocolException.badRequest("at most " + MAX_ALERTS_PER_USER + " alerts per user");
          }
          return alerts.add(alert);
        })
        .onSuccess(v -> json(ctx, 201, alert.toJson()))
        .onFailure(err -> ctx.fail(err instanceof ProtocolException ? err : new ProtocolException(503, "alerts unavailable")));
  }

  private void deleteAlert(RoutingContext ctx) {
    String userId = apiUser(ctx);
    String id = ctx.pathParam("id");
    alerts.of(userId)
        .compose(mine -> mine.stream().anyMatch(a -> a.id().equals(id))
            ? alerts.remove(id)
            : Future.failedFuture(new ProtocolException(404, "no such alert")))
        .onSuccess(v -> ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end())
        .onFailure(err -> ctx.fail(err instanceof ProtocolException ? err : new ProtocolException(503, "alerts unavailable")));
  }

  /** The user of an API call: the session cookie, else a Bearer token (subscriber key) whose {@code sub} names the user. */
  private String apiUser(RoutingContext ctx) {
    Optional<HubConfig.User> session = sessionUser(ctx);
    if (session.isPresent()) {
      return session.get().id();
    }
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      Object sub = subscriberTokens.verify(header.substring(7).trim()).claims().getValue("sub");
      if (sub instanceof String s && !s.isEmpty()) {
        return s;
      }
      throw ProtocolException.unauthorized("the token has no \"sub\" claim");
    }
    throw ProtocolException.unauthorized("log in or send a Bearer token");
  }

  private Optional<HubConfig.User> sessionUser(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(Sessions.COOKIE);
    String id = c == null ? null : sessions.userOf(c.getValue());
    return id == null ? Optional.empty() : demo.users().stream().filter(u -> u.id().equals(id)).findFirst();
  }

  /** Sets the short-lived subscriber token for the user's alerts topic; returns its expiry. */
  private Instant setSubscriberCookie(RoutingContext ctx, HubConfig.User user) {
    Instant exp = clock.instant().plus(demo.tokenTtl());
    JsonObject claims = new JsonObject()
        .put("sub", user.id())
        .put("exp", exp.getEpochSecond())
        .put("mercure", new JsonObject()
            .put("subscribe", new JsonArray().add(AlertsVerticle.topic(demo, user.id())))
            .put("payload", new JsonObject().put("user", user.id())));
    JwtKey key = config.auth().subscriberKey();
    ctx.response().addCookie(cookie(ctx.request(), config.auth().cookieName(), JwtSigner.sign(key, claims),
        "/.well-known/mercure", demo.tokenTtl().toSeconds()));
    return exp;
  }

  private JsonObject userJson(HubConfig.User user) {
    return new JsonObject().put("id", user.id()).put("name", user.name()).put("alertsTopic", AlertsVerticle.topic(demo, user.id()));
  }

  private static Cookie cookie(HttpServerRequest request, String name, String value, String path, long maxAgeSeconds) {
    // the connection's scheme, or a trusted proxy's word for it (http.trusted_proxies); anyone else's headers are ignored
    boolean https = "https".equals(request.scheme());
    return Cookie.cookie(name, value).setPath(path).setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(https).setMaxAge(maxAgeSeconds);
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase("application/json")) {
      // also keeps cross-site forms out: a JSON body needs a CORS preflight
      throw new ProtocolException(415, "the body must be application/json");
    }
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw ProtocolException.badRequest("empty body");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw ProtocolException.badRequest("malformed JSON");
    }
  }

  private static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode());
  }
}
