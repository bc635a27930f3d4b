package io.quicksilver.bench;

import java.nio.charset.StandardCharsets;

/**
 * The {@code data} of every update the harness publishes: {@code qsb <topic> <seq> <scheduledNanos>[ pad]}.
 *
 * <p>{@code topic} is the topic's index in the scenario, {@code seq} its per-topic sequence number
 * (0, 1, 2, … in publish order), {@code scheduledNanos} the epoch nanoseconds at which the open-loop
 * schedule wanted the publish sent (not when it was actually sent: latency is measured from it, so a
 * stalled publisher or hub cannot hide its queueing — no coordinated omission). Optional padding
 * ({@code x} characters) brings the payload to a chosen size.
 */
public final class Payload {

  public static final String MAGIC = "qsb";

  public final int topic;
  public final long seq;
  public final long scheduledNanos;

  public Payload(int topic, long seq, long scheduledNanos) {
    this.topic = topic;
    this.seq = seq;
    this.scheduledNanos = scheduledNanos;
  }

  /** The data text, padded with {@code x} up to {@code size} characters when longer than the minimum. */
  public static String encode(int topic, long seq, long scheduledNanos, int size) {
    StringBuilder sb = new StringBuilder(Math.max(48, size));
    sb.append(MAGIC).append(' ').append(topic).append(' ').append(seq).append(' ').append(scheduledNanos);
    if (sb.length() + 1 < size) {
      sb.append(' ');
      while (sb.length() < size) {
        sb.append('x');
      }
    }
    return sb.toString();
  }

  /** Parses a data text; null if it is not a harness payload. */
  public static Payload decode(String data) {
    if (data == null || !data.startsWith(MAGIC + " ")) {
      return null;
    }
    try {
      int p = MAGIC.length() + 1;
      int e1 = data.indexOf(' ', p);
      int e2 = data.indexOf(' ', e1 + 1);
      int e3 = data.indexOf(' ', e2 + 1);
      if (e1 < 0 || e2 < 0) {
        return null;
      }
      int topic = Integer.parseInt(data, p, e1, 10);
      long seq = Long.parseLong(data, e1 + 1, e2, 10);
      long t = Long.parseLong(data, e2 + 1, e3 < 0 ? data.length() : e3, 10);
      return new Payload(topic, seq, t);
    } catch (RuntimeException e) {
      return null;
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
