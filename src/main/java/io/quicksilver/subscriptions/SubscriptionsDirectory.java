package io.quicksilver.subscriptions;

import io.quicksilver.bus.Addresses;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.publish.LocalPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Active subscriptions across the cluster: each node keeps its own in a {@link SubscriptionIndex} and
 * answers for them on {@link Addresses#SUBSCRIPTIONS}{@code .<node id>}; a listing asks every node the
 * cluster manager currently knows. A dead node leaves the member list, so its subscriptions disappear
 * with it. Also publishes the subscription events (private updates on the subscription's id), in the
 * shape of the subscription's protocol generation.
 *
 * <p>Every node also remembers the other nodes' subscriptions, from the changes each node announces on
 * {@link Addresses#SUBSCRIPTION_CHANGES} (and a listing asked of a node when it is first seen). When a
 * node leaves the member list (checked every second), the surviving node with the smallest id publishes
 * the {@code active: false} event of each subscription the dead node held, which nobody else could. Best
 * effort: a subscription whose change had not reached the others before the node died goes unannounced.
 *
 * <p>A verticle, deployed once per node before anything registers subscriptions with it: its consumers and its
 * membership timer stop when it is undeployed (when the hub closes). {@link #opened}, {@link #closed} and
 * {@link #all} may be called from any event loop.
 */
public final class SubscriptionsDirectory extends VerticleBase {

  /** The SSE event type of draft-08 subscription events, reserved to the hub. */
  public static final String EVENT_TYPE = "mercure";

  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(2000);
  private static final long MEMBERSHIP_CHECK_MS = 1000;

  private final SubscriptionIndex local = new SubscriptionIndex();
  private final String nodeId;
  private final Supplier<List<String>> nodes;
  private MessageConsumer<Object> consumer;
  private MessageConsumer<JsonObject> changes;
  /** The other nodes' subscriptions, by node id. */
  private final Map<String, SubscriptionIndex> others = new ConcurrentHashMap<>();
  private long membershipTimer = -1;

  /**
   * @param nodeId this node's id in the cluster ("local" when standalone)
   * @param nodes  the ids of the cluster's nodes, this one included
   */
  public SubscriptionsDirectory(String nodeId, Supplier<List<String>> nodes) {
    this.nodeId = nodeId;
    this.nodes = nodes;
  }

  /** Starts answering other nodes and following their subscriptions. */
  @Override
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.SUBSCRIPTIONS + "." + nodeId, m -> m.reply(local.toJson()));
    changes = vertx.eventBus().consumer(Addresses.SUBSCRIPTION_CHANGES, m -> changed(m.body()));
    membershipTimer = vertx.setPeriodic(MEMBERSHIP_CHECK_MS, id -> checkMembership());
    return consumer.completion().compose(v -> changes.completion());
  }

  /** Records a new subscription and publishes its event; completes with the event's id once it is stored. */
  public Future<String> opened(Subscription s) {
    local.add(s);
    announce(s);
    return publishEvent(s);
  }

  /** Forgets an ended subscription and publishes its event; completes with the event's id once it is stored. */
  public Future<String> closed(Subscription s) {
    local.remove(s);
    announce(s.ended());
    return publishEvent(s.ended());
  }

  private void announce(Subscription s) {
    vertx.eventBus().publish(Addresses.SUBSCRIPTION_CHANGES, new JsonObject().put("node", nodeId).put("subscription", s.toJson()));
  }

  private void changed(JsonObject change) {
    String node = change.getString("node");
    if (nodeId.equals(node)) {
      return;
    }
    Subscription s = Subscription.fromJson(change.getJsonObject("subscription"));
    SubscriptionIndex index = others.computeIfAbsent(node, n -> new SubscriptionIndex());
    if (s.active()) {
      index.add(s);
    } else {
      index.remove(s);
    }
  }

  /** Learns the subscriptions of nodes seen for the first time; announces the end of those of departed nodes. */
  private void checkMembership() {
    List<String> members = nodes.get();
    if (members.isEmpty()) {
      return; // this node is not (or no longer) in the cluster: it cannot tell who left
    }
    for (String node : members) {
      if (!node.equals(nodeId) && !others.containsKey(node)) {
        SubscriptionIndex index = new SubscriptionIndex();
        others.put(node, index);
        ask(node).onSuccess(list -> list.forEach(index::add));
      }
    }
    boolean announcer = nodeId.equals(members.stream().min(String::compareTo).orElse(nodeId));
    for (String node : List.copyOf(others.keySet())) {
      if (!members.contains(node)) {
        SubscriptionIndex gone = others.remove(node);
        if (announcer && gone != null) {
          for (Subscription s : gone.all()) {
            publishEvent(s.ended());
          }
        }
      }
    }
  }

  /** Every node's active subscriptions; nodes that do not answer in time are left out. */
  public Future<List<Subscription>> all() {
    List<Future<List<Subscription>>> answers = new ArrayList<>();
    for (String node : nodes.get()) {
      if (node.equals(nodeId)) {
        answers.add(Future.succeededFuture(List.copyOf(local.all())));
      } else {
        answers.add(ask(node).otherwise(List.of()));
      }
    }
    return Future.join(answers).map(cf -> {
      List<Subscription> out = new ArrayList<>();
      for (Future<List<Subscription>> f : answers) {
        out.addAll(f.result());
      }
      return out;
    });
  }

  /** Another node's active subscriptions, as it answers for them. */
  private Future<List<Subscription>> ask(String node) {
    return vertx.eventBus().<JsonArray>request(Addresses.SUBSCRIPTIONS + "." + node, null, ASK)
        .map(m -> SubscriptionIndex.fromJson(m.body()));
  }

  private Future<String> publishEvent(Subscription s) {
    return LocalPublisher.publish(vertx, event(s));
  }

  /**
   * The event of a subscription: a private update on its id. Classic: the JSON-LD document with its
   * {@code @context}, default SSE event type. Draft-08 ("Subscription Events"): the plain JSON document,
   * dispatched with the reserved SSE event type {@value #EVENT_TYPE}.
   */
  static PublishRequest event(Subscription s) {
    if (s.isDraft08()) {
      return new PublishRequest(List.of(s.id()), null, s.toJson().encode(), true, EVENT_TYPE, null);
    }
    JsonObject doc = new JsonObject().put("@context", "https://mercure.rocks/").mergeIn(s.toJson());
    return new PublishRequest(List.of(s.id()), null, doc.encode(), true, null, null);
  }

  /** Stops answering and following (undeployment). */
  @Override
  public Future<Void> stop() {
    vertx.cancelTimer(membershipTimer);
    return changes.unregister().compose(v -> consumer.unregister());
  }
}
