package io.quicksilver.bench;

/**
 * Which topics each subscriber of a scenario listens to. Topics are numbered 0..topicCount-1 and map to
 * URLs {@code <prefix><runId>/<index>}; subscribers are numbered 0..subscribers-1.
 *
 * <ul>
 *   <li>{@code unique} (idle): subscriber i on topic i;</li>
 *   <li>{@code shared} (broadcast, reconnect, publish): subscriber i on topic i % topics;</li>
 *   <li>{@code sparse}: subscriber i on its personal topic i and on the room topic subscribers + i % rooms.</li>
 * </ul>
 */
public final class Layout {

  public enum Kind { UNIQUE, SHARED, SPARSE }

  public final Kind kind;
  public final int subscribers;
  /** SHARED: number of topics; SPARSE: number of rooms; UNIQUE: unused. */
  public final int groups;
  public final String topicBase;
  /** Distinguishes this run's topics from those of earlier runs on the same hub. */
  public final String runId;

  public Layout(Kind kind, int subscribers, int groups, String topicPrefix, String runId) {
    this.kind = kind;
    this.subscribers = subscribers;
    this.groups = Math.max(1, groups);
    this.topicBase = topicPrefix + runId + "/";
    this.runId = runId;
  }

  public int topicCount() {
    switch (kind) {
      case UNIQUE:
        return subscribers;
      case SHARED:
        return groups;
      default:
        return subscribers + groups;
    }
  }

  public int[] topicsOf(int subscriber) {
    switch (kind) {
      case UNIQUE:
        return new int[] {subscriber};
      case SHARED:
        return new int[] {subscriber % groups};
      default:
        return new int[] {subscriber, subscribers + subscriber % groups};
    }
  }

  /** How many subscribers listen to a topic. */
  public int subscribersOf(int topic) {
    switch (kind) {
      case UNIQUE:
        return 1;
      case SHARED:
        return subscribers / groups + (topic < subscribers % groups ? 1 : 0);
      default:
        if (topic < subscribers) {
          return 1;
        }
        int room = topic - subscribers;
        return subscribers / groups + (room < subscribers % groups ? 1 : 0);
    }
  }

  public String topicUrl(int topic) {
    return topicBase + topic;
  }

  /** The topic index of a topic URL of this layout, or -1. */
  public int topicIndex(String url) {
    if (!url.startsWith(topicBase)) {
      return -1;
    }
    try {
      return Integer.parseInt(url.substring(topicBase.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
