/**
 * The hub as modules built on it see it (the demo): {@link io.quicksilver.api.HubApi} to publish, read the
 * history, follow updates and sign or verify tokens, and {@link io.quicksilver.api.StreamOpener} to answer a
 * request with a stream. Implemented by the composition root; depends on the protocol core and {@code auth} only.
 */
package io.quicksilver.api;
