/**
 * The history of updates: the {@link io.quicksilver.history.EventStore} contract (sequence numbers, epochs,
 * cursors, replays, final refusals and unknown outcomes) and its two implementations, in memory and in Redis
 * (standalone, Sentinel or Cluster, through vertx-redis-client's own client types).
 */
package io.quicksilver.history;
