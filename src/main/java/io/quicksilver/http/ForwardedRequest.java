package io.quicksilver.http;

import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

/**
 * A request as a trusted proxy forwarded it ({@link TrustedProxies}): its scheme, host and client address are
 * the proxy's word, everything else is the request's own. Only requests from trusted peers carrying forwarding
 * headers are wrapped; the rest reach the router as they are.
 */
final class ForwardedRequest extends HttpServerRequestWrapper {

  private final TrustedProxies.Forwarded forwarded;

  ForwardedRequest(HttpServerRequestInternal request, TrustedProxies.Forwarded forwarded) {
    super(request);
    this.forwarded = forwarded;
  }

  @Override
  public String scheme() {
    return forwarded.scheme() != null ? forwarded.scheme() : delegate.scheme();
  }

  @Override
  public HostAndPort authority() {
    return forwarded.host() != null ? forwarded.host() : delegate.authority();
  }

  @Override
  public boolean isValidAuthority() {
    return forwarded.host() != null || delegate.isValidAuthority();
  }

  @Override
  public SocketAddress remoteAddress() {
    return forwarded.client() != null ? SocketAddress.inetSocketAddress(0, forwarded.client()) : delegate.remoteAddress();
  }
}
