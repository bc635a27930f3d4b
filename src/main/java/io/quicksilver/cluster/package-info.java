/**
 * Running as a cluster member: the Hazelcast configuration (never the library's multicast default) and mutual TLS
 * on the event bus.
 */
package io.quicksilver.cluster;
