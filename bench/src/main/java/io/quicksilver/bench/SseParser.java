package io.quicksilver.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental {@code text/event-stream} parser (the W3C / WHATWG Server-Sent Events grammar).
 *
 * <p>Feed it the response body in chunks of any size; chunk boundaries may fall anywhere, including
 * between the CR and LF of a CRLF. Lines end at CR, LF or CRLF (and nowhere else). A leading UTF-8 BOM
 * is skipped. {@code data} lines are joined with LF; {@code id} sets the last event id (ignored if it
 * contains NUL), {@code event} the type, {@code retry} the reconnection time (ASCII digits only); lines
 * starting with {@code :} are comments; one space after the colon is dropped. A blank line dispatches
 * the event if any {@code data} was seen.
 */
public final class SseParser {

  /** What the parser reports. */
  public interface Listener {
    void onEvent(String lastEventId, String type, String data);

    default void onComment(String text) {
    }

    default void onRetry(long millis) {
    }
  }

  private final Listener listener;
  private byte[] line = new byte[256];
  private int len;
  private boolean lastWasCr;
  private boolean started;
  private int bomMatched;

  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String type;
  private String idBuffer = "";
  private String lastEventId = "";
  private long events;

  public SseParser(Listener listener) {
    this.listener = listener;
  }

  /**
   * The id of the last dispatched event (the value EventSource would send as {@code Last-Event-ID}): an
   * {@code id} field counts only once the blank line that ends its event arrived.
   */
  public String lastEventId() {
    return lastEventId;
  }

  /** How many events were dispatched. */
  public long events() {
    return events;
  }

  public void feed(byte[] bytes) {
    feed(bytes, 0, bytes.length);
  }

  public void feed(byte[] bytes, int off, int length) {
    int end = off + length;
    for (int i = off; i < end; i++) {
      byte b = bytes[i];
      if (!started) {
        // Skip a UTF-8 BOM (EF BB BF) at the very start of the stream.
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        if (b == bom[bomMatched]) {
          bomMatched++;
          if (bomMatched == 3) {
            started = true;
          }
          continue;
        }
        started = true;
        for (int k = 0; k < bomMatched; k++) {
          append(bom[k]);
        }
      }
      if (b == '\n') {
        if (lastWasCr) {
          lastWasCr = false; // the LF of a CRLF: the line already ended at the CR
          continue;
        }
        endLine();
      } else if (b == '\r') {
        lastWasCr = true;
        endLine();
      } else {
        lastWasCr = false;
        append(b);
      }
    }
  }

  /** Forgets a partial line and event (the connection ended); keeps the last event id. */
  public void reset() {
    idBuffer = lastEventId;
    len = 0;
    lastWasCr = false;
    data.setLength(0);
    hasData = false;
    type = null;
    started = false;
    bomMatched = 0;
  }

  private void append(byte b) {
    if (len == line.length) {
      line = Arrays.copyOf(line, line.length * 2);
    }
    line[len++] = b;
  }

  private void endLine() {
    int n = len;
    len = 0;
    if (n == 0) {
      dispatch();
      return;
    }
    if (line[0] == ':') {
      listener.onComment(new String(line, 1, n - 1, StandardCharsets.UTF_8));
      return;
    }
    int colon = -1;
    for (int i = 0; i < n; i++) {
      if (line[i] == ':') {
        colon = i;
        break;
      }
    }
    String field;
    String value;
    if (colon < 0) {
      field = new String(line, 0, n, StandardCharsets.UTF_8);
      value = "";
    } else {
      field = new String(line, 0, colon, StandardCharsets.UTF_8);
      int vs = colon + 1;
      if (vs < n && line[vs] == ' ') {
        vs++;
      }
      value = new String(line, vs, n - vs, StandardCharsets.UTF_8);
    }
    switch (field) {
      case "data":
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
        break;
      case "id":
        if (value.indexOf('\0') < 0) {
          idBuffer = value;
        }
        break;
      case "event":
        type = value;
        break;
      case "retry":
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
          try {
            listener.onRetry(Long.parseLong(value));
          } catch (NumberFormatException ignored) {
            // too large: ignore like a browser would
          }
        }
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private void dispatch() {
    lastEventId = idBuffer;
    if (!hasData) {
      type = null;
      return;
    }
    String d = data.toString();
    String t = type == null || type.isEmpty() ? "message" : type;
    data.setLength(0);
    hasData = false;
    type = null;
    events++;
    listener.onEvent(lastEventId, t, d);
  }
}
