/**
 * Subscribers' SSE streams: the subscription handler ({@code GET}, {@code HEAD} and {@code QUERY} on the hub
 * path), one {@link io.quicksilver.stream.Subscriber} per open stream, the per-event-loop
 * {@link io.quicksilver.stream.SubscriberRegistry} that fans updates out, and the
 * {@link io.quicksilver.stream.Sequencer} that puts the bus's updates back into store order, fills gaps and
 * declares losses. Registers each stream with the active subscriptions when that feature is on.
 */
package io.quicksilver.stream;
