package io.quicksilver.demo;

import io.quicksilver.api.HubApi;
import io.quicksilver.api.StreamOpener;
import io.quicksilver.auth.TokenSigner;
import io.quicksilver.auth.TokenVerifier;
import io.quicksilver.config.HubConfig;
import io.quicksilver.demo.alerts.Alert;
import io.quicksilver.demo.alerts.AlertStore;
import io.quicksilver.demo.alerts.AlertsVerticle;
import io.quicksilver.demo.prices.PriceTicks;
import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.Update;
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
 * served by the hub's own delivery machinery ({@link StreamOpener}).
 *
 * <p>API answers are JSON; failures go through the hub's failure handler (one-line reasons).
 */
final class DemoRoutes {

  private static final int MAX_ALERTS_PER_USER = 50;
  /** How many recent updates {@code /api/ticks} looks through: about 100 ticks of six symbols. */
  private static final int RECENT_UPDATES = 600;

  private final Vertx vertx;
  private final HubApi hub;
  private final HubConfig.Demo demo;
  private final AlertStore alerts;
  private final Sessions sessions;
  private final TokenVerifier subscriberTokens;
  private final TokenSigner cookieTokens;
  private final StreamOpener streams;
  private final LoginThrottle logins;
  /** Verified for unknown user names, so that they cost what a known one does (no user enumeration by timing). */
  private final String dummyHash;
  private final Clock clock = Clock.systemUTC();

  /**
   * @param alerts   the node's price alerts
   * @param sessions the login sessions
   * @param logins   the node's login throttle
   * @param streams  opens the stock streams on the HTTP instance whose router this is
   */
  DemoRoutes(Vertx vertx, HubApi hub, HubConfig.Demo demo, AlertStore alerts, Sessions sessions, LoginThrottle logins,
             StreamOpener streams) {
    this.vertx = vertx;
    this.hub = hub;
    this.demo = demo;
    this.alerts = alerts;
    this.sessions = sessions;
    this.logins = logins;
    this.subscriberTokens = hub.subscriberTokens(); // the Bearer tokens of the alerts API
    this.cookieTokens = hub.subscriberSigner(); // an HMAC key: ConfigLoader checks it
    this.streams = streams;
    this.dummyHash = Passwords.dummyLike(demo.users().isEmpty() ? null : demo.users().get(0).passwordHash());
  }

  /** Adds the demo's routes and the static pages. */
  public void mount(Router router) {
    router.get("/api/config").handler(this::config);
    router.get("/api/stream/stock/:symbol").handler(this::stockStream);
    router.get("/api/ticks").handler(this::recentTicks);
    router.route("/api/*").method(HttpMethod.POST).handler(BodyHandler.create().setBodyLimit(16 * 1024).setHandleFileUploads(false));
    router.post("/api/login").handler(this::login);
    router.post("/api/logout").handler(this::logout);
    router.get("/api/me").handler(this::me);
    router.post("/api/session/refresh").handler(this::me);
    router.get("/api/alerts").handler(this::listAlerts);
    router.get("/api/alerts/fired").handler(this::firedAlerts);
    router.post("/api/alerts").handler(this::addAlert);
    router.delete("/api/alerts/:id").handler(this::deleteAlert);
    router.get("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html").setDefaultContentEncoding("UTF-8"));
  }

  private void config(RoutingContext ctx) {
    json(ctx, 200, new JsonObject()
        .put("hubUrl", "/.well-known/mercure")
        .put("publicUrl", demo.publicUrl())
        .put("symbols", new JsonArray(demo.symbols()))
        .put("stockTopicPrefix", demo.publicUrl() + "/stocks/")
        .put("hubUi", hub.uiPath()));
  }

  private void stockStream(RoutingContext ctx) {
    String symbol = ctx.pathParam("symbol").toUpperCase(Locale.ROOT);
    if (!demo.symbols().contains(symbol)) {
      throw new ProtocolException(404, "unknown symbol");
    }
    streams.open(ctx, List.of(PriceTicks.topic(demo, symbol)), ctx.request().getHeader("Last-Event-ID"));
  }

  /**
   * {@code GET /api/ticks}: the recent price ticks in the history, oldest first, and the cursor to open the
   * stream with ({@code lastEventId}: the newest update looked at), so a page draws its charts at once and
   * then continues from exactly there. Only public price updates are answered.
   */
  private void recentTicks(RoutingContext ctx) {
    hub.latest(RECENT_UPDATES)
        .onSuccess(updates -> {
          JsonArray ticks = new JsonArray();
          for (Update u : updates) {
            JsonObject tick = u.privateUpdate() ? null : PriceTicks.read(demo, u);
            if (tick != null) {
              ticks.add(tick.put("id", u.id()));
            }
          }
          json(ctx, 200, new JsonObject().put("ticks", ticks)
              .put("lastEventId", updates.isEmpty() ? "earliest" : updates.get(updates.size() - 1).id()));
        })
        .onFailure(err -> ctx.fail(new ProtocolException(503, "history unavailable")));
  }

  /**
   * {@code POST /api/login}. Throttled per client address and per user name (429 with {@code Retry-After});
   * an unknown user name costs one PBKDF2 like a known one, on a worker thread, and gets the same answer.
   */
  private void login(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    String username = body.getValue("username") instanceof String s ? s : "";
    String password = body.getValue("password") instanceof String s ? s : "";
    String client = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
    long wait = logins.attempt(client, username.length() > 64 ? username.substring(0, 64) : username);
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      throw new ProtocolException(429, "too many login attempts; try again in " + wait + " s");
    }
    Optional<HubConfig.User> user = demo.users().stream().filter(u -> u.id().equals(username)).findFirst();
    String hash = user.map(HubConfig.User::passwordHash).orElse(dummyHash);
    // PBKDF2 is deliberately slow: off the event loop
    vertx.executeBlocking(() -> Passwords.verify(password, hash) && user.isPresent(), false)
        .onSuccess(ok -> {
          if (!ok) {
            logins.failed(username.length() > 64 ? username.substring(0, 64) : username);
            ctx.fail(ProtocolException.unauthorized("unknown user or wrong password"));
            return;
          }
          logins.succeeded(username);
          ctx.response().addCookie(cookie(ctx.request(), Sessions.COOKIE, sessions.issue(user.get().id()), "/",
              sessions.lifetime().toSeconds()));
          json(ctx, 200, userJson(user.get()).put("tokenExpiresAt", setSubscriberCookie(ctx, user.get()).toEpochMilli()));
        })
        .onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    ctx.response().addCookie(cookie(ctx.request(), Sessions.COOKIE, "", "/", 0));
    ctx.response().addCookie(cookie(ctx.request(), hub.tokenCookie(), "", "/.well-known/mercure", 0));
    ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
  }

  /** {@code GET /api/me} and {@code POST /api/session/refresh}: who is logged in; renews the subscriber cookie. */
  private void me(RoutingContext ctx) {
    sessionUser(ctx)
        .onSuccess(user -> {
          if (user.isEmpty()) {
            ctx.fail(ProtocolException.unauthorized("not logged in"));
            return;
          }
          json(ctx, 200, userJson(user.get()).put("tokenExpiresAt", setSubscriberCookie(ctx, user.get()).toEpochMilli()));
        })
        .onFailure(ctx::fail);
  }

  private void listAlerts(RoutingContext ctx) {
    apiUser(ctx)
        .compose(userId -> alerts.of(userId).recover(err -> Future.failedFuture(new ProtocolException(503, "alerts unavailable"))))
        .onSuccess(list -> json(ctx, 200, new JsonArray(list.stream().map(Alert::toJson).toList())))
        .onFailure(ctx::fail);
  }

  /** {@code GET /api/alerts/fired}: the user's alerts that fired, newest first (kept across reloads and restarts with Redis). */
  private void firedAlerts(RoutingContext ctx) {
    apiUser(ctx)
        .compose(userId -> alerts.fired(userId).recover(err -> Future.failedFuture(new ProtocolException(503, "alerts unavailable"))))
        .onSuccess(list -> json(ctx, 200, new JsonArray(List.copyOf(list))))
        .onFailure(ctx::fail);
  }

  private void addAlert(RoutingContext ctx) {
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
    double threshold = n.doubleValue();
    apiUser(ctx)
        .compose(userId -> {
          Alert alert = new Alert(UUID.randomUUID().toString(), userId, symbol, direction.equals("above"), threshold);
          return alerts.of(userId).compose(existing -> {
          if (existing.size() >= MAX_ALERTS_PER_USER) {
            throw ProtocolException.badRequest("at most " + MAX_ALERTS_PER_USER + " alerts per user");
          }
            return alerts.add(alert).map(alert);
          });
        })
        .onSuccess(alert -> json(ctx, 201, alert.toJson()))
        .onFailure(err -> ctx.fail(err instanceof ProtocolException ? err : new ProtocolException(503, "alerts unavailable")));
  }

  private void deleteAlert(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    apiUser(ctx)
        .compose(userId -> alerts.of(userId))
        .compose(mine -> mine.stream().anyMatch(a -> a.id().equals(id))
            ? alerts.remove(id)
            : Future.failedFuture(new ProtocolException(404, "no such alert")))
        .onSuccess(v -> ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end())
        .onFailure(err -> ctx.fail(err instanceof ProtocolException ? err : new ProtocolException(503, "alerts unavailable")));
  }

  /** The user of an API call: the session cookie, else a Bearer token (subscriber key) whose {@code sub} names the user. */
  private Future<String> apiUser(RoutingContext ctx) {
    return sessionUser(ctx).compose(session -> {
      if (session.isPresent()) {
        return Future.succeededFuture(session.get().id());
      }
      String header = ctx.request().getHeader("Authorization");
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return Future.failedFuture(ProtocolException.unauthorized("log in or send a Bearer token"));
      }
      return subscriberTokens.verify(header.substring(7).trim()).map(token -> {
        if (token.claims().getValue("sub") instanceof String s && !s.isEmpty()) {
          return s;
        }
        throw ProtocolException.unauthorized("the token has no \"sub\" claim");
      });
    });
  }

  private Future<Optional<HubConfig.User>> sessionUser(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(Sessions.COOKIE);
    return sessions.userOf(c == null ? null : c.getValue())
        .map(id -> id == null ? Optional.empty() : demo.users().stream().filter(u -> u.id().equals(id)).findFirst());
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
    ctx.response().addCookie(cookie(ctx.request(), hub.tokenCookie(), cookieTokens.sign(claims),
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
