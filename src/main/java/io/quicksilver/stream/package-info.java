/**
 * Subscribers' SSE streams: the subscription handler ({@code GET}, {@code HEAD} and {@code QUERY} on the hub
 * path), one {@code Subscriber} per open stream, the per-event-loop
 * {@link io.quicksilver.stream.SubscriberRegistry} that fans updates out, the
 * {@code DeliveryRule} that says which update goes to which stream (live and replayed alike),
 * and the {@link io.quicksilver.stream.Sequencer} that puts the bus's updates back into store order, fills gaps and
 * declares losses. Registers each stream with the active subscriptions when that feature is on.
 *
 * <p>A stream's bytes go through an {@code EventSink}: Vert.x's response
 * ({@code ResponseSink}, HTTP/2) or the Netty channel itself
 * ({@code DirectSink}, HTTP/1.1), the one class of the hub that uses Vert.x core's and
 * Netty's internals for it.
 */
package io.quicksilver.stream;
