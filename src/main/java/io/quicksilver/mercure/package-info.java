/**
 * The protocol core, free of Vert.x: what an update is, how publish requests and subscription selectors are
 * read and validated (URI templates, URL patterns and their compile budgets), which topics are reserved to the
 * hub, which protocol generations the hub speaks, how events are written as {@code text/event-stream}, and the
 * percent-encodings of the other syntaxes it writes ({@link io.quicksilver.mercure.PercentEncoding}).
 * Uses the URL standards of {@code io.quicksilver.url}.
 */
package io.quicksilver.mercure;
