package io.quicksilver.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

/**
 * A request as a trusted proxy forwarded it ({@link TrustedProxies}): its scheme, host and client address are
 * the proxy's word, everything else is the request's own. Only requests from trusted peers carrying forwarding
 * headers are wrapped; the rest reach the router as they are.
 *
 * <p>Vert.x Web's router takes only requests that are {@link HttpServerRequestInternal}s, and its one way to change
 * what a request says is the wrapper of Vert.x core's internal API that this class extends: the one use of Vert.x
 * internals outside the streams' {@code DirectSink} (ArchitectureTest allows both).
 */
final class ForwardedRequest extends HttpServerRequestWrapper {

  private final TrustedProxies.Forwarded forwarded;

  private ForwardedRequest(HttpServerRequestInternal request, TrustedProxies.Forwarded forwarded) {
    super(request);
    this.forwarded = forwarded;
  }

  /** The request with what the proxy said in place of the connection's word (as it is if Vert.x cannot wrap it). */
  static HttpServerRequest wrap(HttpServerRequest request, TrustedProxies.Forwarded forwarded) {
    return request instanceof HttpServerRequestInternal internal ? new ForwardedRequest(internal, forwarded) : request;
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
