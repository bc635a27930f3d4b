/**
 * The composition root: the one package that knows every feature. {@link io.quicksilver.server.Hub} builds
 * Vert.x (standalone or clustered), the event store, the key ring and the verticles, in order, and closes them
 * in the order that loses nothing; {@link io.quicksilver.server.HubHttpVerticle} assembles the router from the
 * features' handlers, once per event loop; {@link io.quicksilver.server.NodeApi} is the hub as the demo sees it
 * ({@code io.quicksilver.api}); the probes and the metrics listener live here too because they read
 * the state of the whole node. {@link io.quicksilver.server.WarmUp} runs the request paths on a private hub
 * before the real one starts.
 */
package io.quicksilver.server;
