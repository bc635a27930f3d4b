/**
 * Running as a cluster member: the Hazelcast configuration (never the library's multicast default), mutual TLS
 * on the event bus, and a Redis lease for singletons.
 */
package io.quicksilver.cluster;
