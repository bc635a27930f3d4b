package io.quicksilver.history;

import io.quicksilver.mercure.Update;
import java.util.List;

/**
 * The answer to a cursor.
 *
 * @param cursor       what became of the cursor
 * @param updates      the updates after it, in sequence order
 * @param headSequence the newest sequence in the store when the answer was read; live updates at or
 *                     below it are already covered by this replay
 */
public record Replay(Cursor cursor, List<Update> updates, long headSequence) {

  /** What a cursor named. */
  public enum Cursor {
    /** A known update: the replay starts right after it. */
    FOUND,
    /** {@code earliest}: the replay is the whole history. */
    EARLIEST,
    /** An id the history does not hold (never was, trimmed, or from another epoch): nothing is replayed. */
    UNKNOWN,
    /**
     * A hub {@link Position}, handed out when a loss was declared: the replay starts there (or at the oldest
     * update held, if later; for a position in an epoch since left, at the current epoch's oldest), and the
     * answer says {@code earliest}.
     */
    POSITION
  }

  public Replay {
    updates = List.copyOf(updates);
  }
}
