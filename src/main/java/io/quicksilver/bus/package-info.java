/**
 * The messages of the event bus and their codecs: {@link io.quicksilver.bus.PublishCommand} (an authorized
 * update, to the publisher verticle) and {@link io.quicksilver.bus.StoredUpdate} (an update the store holds, to
 * every delivery instance of the cluster), with the addresses they travel on.
 */
package io.quicksilver.bus;
