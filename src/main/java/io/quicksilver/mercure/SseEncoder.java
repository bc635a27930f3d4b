package io.quicksilver.mercure;

import java.nio.charset.StandardCharsets;

/**
 * Encodes updates as {@code text/event-stream} events (W3C Server-Sent Events).
 *
 * <p>Field order: {@code event} (if the update has a type), {@code retry} (if set and not 0), {@code id} (always),
 * one {@code data} line per line of the data, then a blank line. Lines of data are split on CR, LF and
 * CRLF only — the line terminators of the SSE grammar — so U+0085, U+2028 and U+2029 stay inside a line.
 */
public final class SseEncoder {

  /** The comment written when a stream opens, so that {@code onopen} fires at once. */
  public static final byte[] OPEN_COMMENT = ":\n\n".getBytes(StandardCharsets.US_ASCII);
  /** The comment written to an idle stream to keep intermediaries from closing it. */
  public static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

  private SseEncoder() {
  }

  /**
   * An event with an {@code id} and no data: a browser sets its last event ID to it (sent back on reconnect)
   * and dispatches nothing. The id must be one line.
   */
  public static byte[] cursor(String id) {
    return ("id: " + id + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The whole event for an update, UTF-8 encoded. */
  public static byte[] encode(Update update) {
    return encodeToString(update).getBytes(StandardCharsets.UTF_8);
  }

  static String encodeToString(Update update) {
    String type = update.type();
    String data = update.data();
    StringBuilder sb = new StringBuilder(data.length() + update.id().length() + 32);
    if (type != null && !type.isEmpty()) {
      sb.append("event: ").append(type).append('\n');
    }
    if (update.retry() != null && update.retry() > 0) { // as the reference hub: 0 means "not set"
      sb.append("retry: ").append(update.retry()).append('\n');
    }
    sb.append("id: ").append(update.id()).append('\n');
    int start = 0;
    int n = data.length();
    for (int i = 0; i < n; i++) {
      char c = data.charAt(i);
      if (c == '\r' || c == '\n') {
        sb.append("data: ").append(data, start, i).append('\n');
        if (c == '\r' && i + 1 < n && data.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    sb.append("data: ").append(data, start, n).append('\n');
    sb.append('\n');
    return sb.toString();
  }
}
