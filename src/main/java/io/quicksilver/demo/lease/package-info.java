/**
 * Cluster-wide leadership for the demo's singletons (the price simulator and the alerts watcher): a lease in the
 * hub's Redis, or always this node without Redis.
 */
package io.quicksilver.demo.lease;
