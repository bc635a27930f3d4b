package io.quicksilver.bus;

/** Every event-bus address the hub uses. Addresses are never built from a topic. */
public final class Addresses {

  /** Request/reply, node-local: a validated, authorized publish for the node's {@code PublisherVerticle}. */
  public static final String PUBLISH = "qs.publish";
  /** Publish: every stored update, for every delivery instance (crosses nodes in a cluster). */
  public static final String UPDATES = "qs.updates";

  /** Request/reply, one per node ({@code qs.subscriptions.<node id>}): the node's active subscriptions. */
  public static final String SUBSCRIPTIONS = "qs.subscriptions";

  /**
   * Publish (crosses nodes): a subscription opened or ended on a node, {@code {"node": id, "subscription": doc}},
   * so that every node remembers the others' and a survivor can announce a dead node's as ended.
   */
  public static final String SUBSCRIPTION_CHANGES = "qs.subscription-changes";

  /** Publish, node-local: the node is draining; carries the drain window in milliseconds (a Long). */
  public static final String DRAIN = "qs.drain";

  private Addresses() {
  }
}
