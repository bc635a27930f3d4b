/** Log output: the root level, plain or JSON lines, and the access log's switch, applied at start-up. */
package io.quicksilver.logging;
