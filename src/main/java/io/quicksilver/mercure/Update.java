package io.quicksilver.mercure;

import java.util.List;
import java.util.Objects;

/**
 * One published update, as the hub stores and dispatches it.
 *
 * @param sequence global, dense, increasing position assigned by the event store at append time
 *                 ({@code 0} while not yet appended)
 * @param id       the SSE {@code id}: given by the publisher or generated ({@code urn:uuid:...})
 * @param topics   canonical topic first, then alternates; never empty
 * @param data     the SSE data, may be empty, never null
 * @param privateUpdate whether only authorized subscribers may receive it
 * @param type     the SSE {@code event} field, or null
 * @param retry    the SSE {@code retry} field in milliseconds, or null
 */
public record Update(long sequence, String id, List<String> topics, String data, boolean privateUpdate,
                     String type, Long retry) {

  public Update {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(data, "data");
    topics = List.copyOf(topics);
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("an update has at least one topic");
    }
  }

  /** The same update at the given sequence. */
  public Update withSequence(long seq) {
    return new Update(seq, id, topics, data, privateUpdate, type, retry);
  }

  /**
   * Whether this is one of the hub's own events (a subscription event): its topic lies in the hub's namespace,
   * where no publisher may publish ({@link ReservedTopics}).
   */
  public boolean hubEvent() {
    return canonicalTopic().startsWith(HubPath.VALUE + "/");
  }

  /** The canonical topic (the first one). */
  public String canonicalTopic() {
    return topics.get(0);
  }
}
