package io.quicksilver.bench;

import io.vertx.core.http.HttpClientResponse;

/**
 * How the harness speaks to the hub under test ({@code --protocol}): where a subscriber connects for its
 * topics, and how one update is published. Everything else (the payload with its per-topic sequence number,
 * the SSE parsing, {@code Last-Event-ID} on reconnection, loss and duplicate checks) is the same for every
 * hub: the checks read the sequence number from the payload, never from the hub's event ids, so they hold
 * whatever ids the hub uses.
 */
public interface HubProtocol {

  /** Topic index of the warm-up publishes, which no subscriber listens to. */
  int WARMUP_TOPIC = -1;

  /** Request URI (path and query) of one SSE subscription to these topics of the layout. */
  String subscribeUri(int[] topics);

  /** Request URI of a publish to a topic ({@link #WARMUP_TOPIC}: the warm-up topic). */
  String publishUri(int topic);

  /** {@code Content-Type} of a publish body. */
  String publishContentType();

  /** The body publishing {@code data} to a topic. */
  String publishBody(int topic, String data);

  /** Whether publishers and subscribers send their bearer tokens. */
  boolean bearerTokens();

  /** Whether the answer to a subscription with {@code Last-Event-ID} says that id was no longer known. */
  boolean cursorLost(HttpClientResponse response);

  /** The protocol named by {@code --protocol}, for the hub at {@code target}. */
  static HubProtocol of(String name, HubTarget target, Layout layout) {
    switch (name) {
      case "mercure":
        return new MercureProtocol(target, layout);
      case "nchan":
        return new NchanProtocol(target, layout);
      default:
        throw new IllegalArgumentException("unknown protocol " + name + " (mercure | nchan)");
    }
  }
}
