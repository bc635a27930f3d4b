package io.quicksilver.subscriptions;

import io.quicksilver.bus.Addresses;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.publish.LocalPublisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Active subscriptions across the cluster: each node keeps its own in a {@link SubscriptionIndex} and
 * answers for them on {@link Addresses#SUBSCRIPTIONS}{@code .<node id>}; a listing asks every node the
 * cluster manager currently knows. A dead node leaves the member list, so its subscriptions disappear
 * with it. Also publishes the subscription events (private updates on the subscription's id), in the
 * shape of the subscription's protocol generation.
 */
public final class SubscriptionsDirectory {

  /** The SSE event type of draft-08 subscription events, reserved to the hub. */
  public static final String EVENT_TYPE = "mercure";

  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(2000);

  private final Vertx vertx;
  private final SubscriptionIndex local = new SubscriptionIndex();
  private final String nodeId;
  private final Supplier<List<String>> nodes;
  private MessageConsumer<Object> consumer;

  /**
   * @param nodeId this node's id in the cluster ("local" when standalone)
   * @param nodes  the ids of the cluster's nodes, this one included
   */
  public SubscriptionsDirectory(Vertx vertx, String nodeId, Supplier<List<String>> nodes) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.nodes = nodes;
  }

  /** Starts answering other nodes. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.SUBSCRIPTIONS + "." + nodeId, m -> m.reply(local.toJson()));
    return consumer.completion();
  }

  /** Records a new subscription and publishes its event; completes with the event's id once it is stored. */
  public Future<String> opened(Subscription s) {
    local.add(s);
    return publishEvent(s);
  }

  /** Forgets an ended subscription and publishes its event; completes with the event's id once it is stored. */
  public Future<String> closed(Subscription s) {
    local.remove(s);
    return publishEvent(s.ended());
  }

  /** Every node's active subscriptions; nodes that do not answer in time are left out. */
  public Future<List<Subscription>> all() {
    List<Future<List<Subscription>>> answers = new ArrayList<>();
    for (String node : nodes.get()) {
      if (node.equals(nodeId)) {
        answers.add(Future.succeededFuture(List.copyOf(local.all())));
      } else {
        answers.add(vertx.eventBus().<JsonArray>request(Addresses.SUBSCRIPTIONS + "." + node, null, ASK)
            .map(m -> SubscriptionIndex.fromJson(m.body()))
            .otherwise(List.of()));
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

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
