package io.quicksilver.http;

import io.quicksilver.auth.RequestCredentials;
import io.quicksilver.mercure.Draft08Topics;
import io.quicksilver.mercure.FormData;
import io.quicksilver.mercure.HubPath;
import io.quicksilver.mercure.ProtocolException;
import io.vertx.core.VertxException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.nio.charset.StandardCharsets;

/** Reading the protocol's inputs off an HTTP request. */
public final class Requests {

  /**
   * The hub URL last derived from a request and found valid (a valid one stays valid): the requests of one
   * {@code Host} skip its parse. Shared by the event loops; a stale read only costs a parse.
   */
  private static volatile String lastHubUrl;

  private Requests() {
  }

  /** The query string, decoded strictly (a malformed escape or invalid UTF-8 is a 400). */
  public static FormData query(HttpServerRequest request) {
    String raw = request.query();
    return FormData.parse(raw == null ? new byte[0] : raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Every credential the request carries: header, {@code authorization} query parameter, cookie, origin. */
  public static RequestCredentials credentials(HttpServerRequest request, FormData query, String cookieName) {
    Cookie cookie = request.getCookie(cookieName);
    return new RequestCredentials(request.getHeader("Authorization"), query.first("authorization"),
        cookie == null ? null : cookie.getValue(), request.getHeader("Origin"), request.getHeader("Referer"),
        request.headers().getAll("Authorization").size());
  }

  /**
   * The hub's resource identifier (draft-08 "Token Validation"): the configured one, else derived from the
   * request as {@code <scheme>://<host>/.well-known/mercure}. Tokens' {@code aud} must contain it, and
   * relative URL patterns and topics are resolved against it.
   *
   * @param configured the configured identifier, or null to derive it
   * @throws ProtocolException 400 when the {@code Host} header does not make a valid URL (it is the client's to choose)
   */
  public static String resourceIdentifier(HttpServerRequest request, String configured) {
    if (configured != null) {
      return configured;
    }
    String derived = origin(request) + HubPath.VALUE;
    if (derived.equals(lastHubUrl)) {
      return lastHubUrl; // every request of a host parses the same URL: the last valid one is remembered
    }
    if (!Draft08Topics.isHubUrl(derived)) {
      throw ProtocolException.badRequest("the Host header does not make a valid URL of this hub");
    }
    lastHubUrl = derived;
    return derived;
  }

  /**
   * Where the protected resource metadata of the resource identifier is served (RFC 9728 section 3.1:
   * the well-known segment inserted between the host and the path).
   */
  public static String resourceMetadataUrl(String resourceIdentifier) {
    int scheme = resourceIdentifier.indexOf("://");
    int path = scheme < 0 ? -1 : resourceIdentifier.indexOf('/', scheme + 3);
    if (path < 0) {
      return resourceIdentifier + ProtectedResourceMetadata.WELL_KNOWN;
    }
    return resourceIdentifier.substring(0, path) + ProtectedResourceMetadata.WELL_KNOWN + resourceIdentifier.substring(path);
  }

  private static String origin(HttpServerRequest request) {
    HostAndPort authority;
    try {
      authority = request.authority();
    } catch (VertxException e) { // HTTP/1.x without a Host header Vert.x can parse
      throw ProtocolException.badRequest("a valid Host header is required");
    }
    String scheme = request.scheme() == null ? "http" : request.scheme();
    if (authority == null) {
      return scheme + "://" + request.localAddress().hostAddress() + ":" + request.localAddress().port();
    }
    boolean defaultPort = authority.port() < 0
        || authority.port() == 80 && scheme.equals("http") || authority.port() == 443 && scheme.equals("https");
    return scheme + "://" + authority.host() + (defaultPort ? "" : ":" + authority.port());
  }
}
