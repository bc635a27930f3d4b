package io.quicksilver.bench;

import java.net.URI;

/** The hub URL, split for the HTTP client. */
public final class HubTarget {
  public final String host;
  public final int port;
  public final String path;

  public HubTarget(String url) {
    URI u = URI.create(url);
    if (!"http".equals(u.getScheme())) {
      throw new IllegalArgumentException("only http:// hub URLs are supported: " + url);
    }
    host = u.getHost();
    port = u.getPort() < 0 ? 80 : u.getPort();
    path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/.well-known/mercure" : u.getRawPath();
  }
}
