package io.quicksilver.api;

import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Opens SSE streams on the hub's own delivery machinery, for the HTTP instance whose router a module's routes are
 * mounted on: the stream takes one of the node's stream places, gets heartbeats, and is drained and closed with
 * the node like any subscriber's.
 */
@FunctionalInterface
public interface StreamOpener {

  /**
   * Answers the request with an anonymous stream of the public updates on these exact topics: live at once without a
   * cursor, else after the replay of what followed it. Call it on the event loop of the instance's router.
   *
   * @param lastEventId the cursor to resume after, or null
   * @throws io.quicksilver.mercure.ProtocolException 503 when the node holds as many streams as it may
   */
  void open(RoutingContext ctx, List<String> topics, String lastEventId);
}
