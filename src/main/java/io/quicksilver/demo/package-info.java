/**
 * The demo, one module on the hub's narrow API ({@code io.quicksilver.api}): {@link io.quicksilver.demo.Demo}
 * deploys its price simulator ({@code demo.prices}) and alerts watcher ({@code demo.alerts}), each active on one
 * node of a cluster ({@code demo.lease}), and mounts its HTTP side ({@link io.quicksilver.demo.DemoRoutes}): its
 * pages, login with sessions, the cookie it hands to {@code EventSource}, and its history, stream and alert
 * endpoints. Depends on the API, the protocol core, {@code auth}, {@code config} and {@code http}, never on the
 * hub's streams, publisher or history. Off in production.
 */
package io.quicksilver.demo;
