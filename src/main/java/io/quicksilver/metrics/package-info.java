/**
 * The node's meters, in one Prometheus registry with Vert.x's and the JVM's, and the bounded vocabularies they
 * count by ({@link io.quicksilver.metrics.CloseReason}, {@link io.quicksilver.metrics.LossCause}). A leaf:
 * the features report into it.
 */
package io.quicksilver.metrics;
