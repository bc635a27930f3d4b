/**
 * The command line: {@code serve} (the default), {@code token}, {@code hash-password} and the container's
 * health check. It starts a hub through {@link io.quicksilver.server.Hub} and nothing imports it.
 *
 * <h2>The packages, and their one-way arrows</h2>
 * <pre>
 *   io.quicksilver (command line)
 *     └─ server          composition root: Vert.x, the store, the verticles, the router, the warm-up
 *          ├─ demo       the demo (pages, prices, alerts, lease), on api only; off in production
 *          │    └─ api   the hub as a module sees it: publish, read, follow, open a stream, tokens
 *          ├─ stream     SSE streams ──→ subscriptions (active subscriptions) ──→ publish
 *          ├─ publish    POST /.well-known/mercure, the publisher verticle
 *          └─ http       leaf HTTP plumbing: authentication step, CORS, failures, TLS, proxies, guards
 *   below all of them: history (event stores), bus (event-bus messages), cluster, logging, metrics,
 *   config ──→ auth ──→ mercure (the protocol core, free of Vert.x) ──→ url (the URL standards)
 * </pre>
 * Every arrow points down; the features ({@code stream}, {@code publish}, {@code subscriptions}) get their
 * slice of the configuration from the composition root and never read {@code config} themselves.
 * {@code ArchitectureTest} keeps all of it so.
 */
package io.quicksilver;
