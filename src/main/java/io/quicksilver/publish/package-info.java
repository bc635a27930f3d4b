/**
 * Publishing: {@code POST /.well-known/mercure} ({@link io.quicksilver.publish.PublishHandler}), and the node's one
 * {@link io.quicksilver.publish.Publisher}, which appends each authorized update to the store and announces it on
 * the bus. The HTTP handler calls it directly; {@link io.quicksilver.publish.LocalPublisher} is the way in for the
 * hub's own updates, over the bus to the {@link io.quicksilver.publish.PublisherVerticle}.
 */
package io.quicksilver.publish;
