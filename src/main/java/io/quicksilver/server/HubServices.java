package io.quicksilver.server;

import io.quicksilver.auth.KeyRing;
import io.quicksilver.demo.Demo;
import io.quicksilver.history.EventStore;
import io.quicksilver.http.Capacity;
import io.quicksilver.metrics.HubMetrics;
import io.quicksilver.publish.Publisher;
import io.quicksilver.subscriptions.SubscriptionsDirectory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * What the verticles of one node share: thread-safe services created once by {@link Hub}.
 *
 * @param store        the event store
 * @param metrics      the node's meters
 * @param draining     set when the node is shutting down: readiness fails, new subscriptions are refused
 * @param clusterSize  nodes in the cluster as this node sees them (1 standalone, 0 when not joined)
 * @param demo         the demo, or null when it is off
 * @param subscriptions active subscriptions, or null when the feature is off
 * @param keys         the verification keys of every role and trusted issuer
 * @param capacity     the connections, streams and compiled selectors the node admits at once
 * @param publisher    the node's publish path
 */
public record HubServices(EventStore store, HubMetrics metrics, AtomicBoolean draining, IntSupplier clusterSize,
                          Demo demo, SubscriptionsDirectory subscriptions, KeyRing keys, Capacity capacity,
                          Publisher publisher) {
}
