package io.quicksilver.http;

/**
 * The bounds on what one request may carry, from the configuration: a publish body, and a {@code QUERY}
 * subscription's body, are refused past them.
 *
 * @param maxBody   largest body in bytes (larger: 413)
 * @param maxFields most fields of a form body (more: 413)
 * @param maxTopics most {@code topic} selectors of a subscription and topics of an update
 */
public record RequestLimits(long maxBody, int maxFields, int maxTopics) {
}
