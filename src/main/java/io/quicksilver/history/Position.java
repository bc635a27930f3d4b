package io.quicksilver.history;

/**
 * A place in the store's sequence, written as a cursor the hub hands out itself: {@code #<epoch>:<sequence>}.
 *
 * <p>When a delivery instance cannot vouch that its streams received every update (the store's history was
 * lost or went backwards, or a gap is gone from it), it ends them with an event that carries only this
 * cursor as its {@code id}. The browser keeps it as its last event ID without dispatching anything, and
 * sends it back on reconnect: the hub then replays what the store holds after that place, and answers
 * {@code Last-Event-ID: earliest}, which tells the client that history was lost. A position in an epoch the
 * store has left since (history lost again before the client came back) replays all of the current one: it
 * began after the position was handed out. Mercure reserves ids
 * starting with {@code #} to the hub ("a fragment is convenient to return an offset or a sequence that is
 * unique for this hub"), so a published update can never carry one.
 *
 * @param epoch    the store epoch the sequence belongs to
 * @param sequence the last sequence the client is known to be past (0: the epoch's start)
 */
public record Position(String epoch, long sequence) {

  private static final String PREFIX = "#";

  /** The cursor form, {@code #<epoch>:<sequence>}. */
  public String cursor() {
    return PREFIX + epoch + ":" + sequence;
  }

  /** The position a cursor names, or null when it is not one of the hub's. */
  public static Position parse(String cursor) {
    if (cursor == null || !cursor.startsWith(PREFIX)) {
      return null;
    }
    int colon = cursor.lastIndexOf(':');
    if (colon <= PREFIX.length() || colon == cursor.length() - 1) {
      return null;
    }
    for (int i = colon + 1; i < cursor.length(); i++) {
      char c = cursor.charAt(i);
      if (c < '0' || c > '9' || i - colon > 18) {
        return null;
      }
    }
    return new Position(cursor.substring(PREFIX.length(), colon), Long.parseLong(cursor.substring(colon + 1)));
  }
}
