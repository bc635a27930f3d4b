package io.quicksilver.stream;

import io.quicksilver.history.EventStore;
import io.quicksilver.http.Capacity;
import io.quicksilver.metrics.HubMetrics;
import io.quicksilver.subscriptions.SubscriptionsDirectory;
import java.util.function.BooleanSupplier;

/**
 * What the subscription handler uses of its node: thread-safe services shared by every event loop.
 *
 * @param store       the event store (replays)
 * @param metrics     the node's meters
 * @param draining    true once the node shuts down: new subscriptions get an ended stream
 * @param capacity    the connections and streams the node admits at once
 * @param directory   active subscriptions, or null when the feature is off
 */
public record StreamServices(EventStore store, HubMetrics metrics, BooleanSupplier draining, Capacity capacity,
                             SubscriptionsDirectory directory) {
}
