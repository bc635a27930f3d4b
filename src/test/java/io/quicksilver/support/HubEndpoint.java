package io.quicksilver.support;

import java.net.URI;

/** Where a test hub answers: what helpers need to reach it, whether they get a {@link TestHub} or a {@link HubExtension}. */
public interface HubEndpoint {

  /** The port the hub listens on. */
  int port();

  /** {@code http://127.0.0.1:<port><pathAndQuery>}. */
  default URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  /** The hub URL {@code /.well-known/mercure} followed by {@code query} (which starts with {@code ?} or is empty). */
  default URI hub(String query) {
    return uri("/.well-known/mercure" + query);
  }
}
