package io.quicksilver.http;

import io.quicksilver.mercure.HubPath;
import io.quicksilver.mercure.ProtocolMode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The hub UI at {@code /.well-known/mercure/ui/} (the {@code ui} key, {@code QS_UI}; off by default):
 * plain files from the class path ({@code frontend/ui/}, packaged as {@code hub-ui/}) and a
 * {@code config.json} telling the page what this hub speaks.
 *
 * <p>The pages load nothing but their own files and talk only to this origin, which a strict Content
 * Security Policy states: no inline script or style, no framing, no other origin. The page sends tokens in
 * the {@code Authorization} header (it reads streams with {@code fetch}), so none ends up in a URL.
 */
public final class HubUi {

  /** Where the UI is served. */
  public static final String PATH = HubPath.VALUE + "/ui/";
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
      + " img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private HubUi() {
  }

  /**
   * Adds the UI's routes.
   *
   * @param mode          the protocol versions the hub speaks, which the page offers
   * @param subscriptions whether the active-subscriptions API is on, which the page then lists
   */
  public static void mount(Router router, ProtocolMode mode, boolean subscriptions) {
    String configJson = new JsonObject()
        .put("hubUrl", HubPath.VALUE)
        .put("protocol", mode.toString())
        .put("subscriptions", subscriptions)
        .encode();
    router.getWithRegex("/\\.well-known/mercure/ui").handler(ctx -> ctx.redirect(PATH));
    router.get(PATH + "*").handler(ctx -> {
      ctx.response()
          .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
          .putHeader("Referrer-Policy", "no-referrer")
          .putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });
    router.get(PATH + "config.json").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(configJson));
    router.get(PATH + "*").handler(StaticHandler.create("hub-ui").setIndexPage("index.html").setDefaultContentEncoding("UTF-8")
        .setCachingEnabled(false));
  }
}
