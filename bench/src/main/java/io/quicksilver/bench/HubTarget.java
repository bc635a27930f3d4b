package io.quicksilver.bench;

import java.net.URI;

/** The hub URL, split for the HTTP client. */
public final class HubTarget {
  public final String host;
  public final int port;
  /** The Mercure hub path: the URL's path, {@code /.well-known/mercure} when it has none. */
  public final String path;
  /** The URL's path without a trailing slash, empty when it has none (the prefix of nchan's locations). */
  public final String basePath;

  public HubTarget(String url) {
    URI u = URI.create(url);
    if (!"http".equals(u.getScheme())) {
      throw new IllegalArgumentException("only http:// hub URLs are supported: " + url);
    }
    host = u.getHost();
    port = u.getPort() < 0 ? 80 : u.getPort();
    String raw = u.getRawPath() == null ? "" : u.getRawPath();
    path = raw.isEmpty() ? "/.well-known/mercure" : raw;
    basePath = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
  }
}
