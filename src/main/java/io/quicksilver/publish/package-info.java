/**
 * Publishing: {@code POST /.well-known/mercure} ({@link io.quicksilver.publish.PublishHandler}), and the one
 * publisher verticle per node that appends each authorized update to the store and announces it on the bus.
 * {@link io.quicksilver.publish.LocalPublisher} is the way in for the hub's own updates.
 */
package io.quicksilver.publish;
