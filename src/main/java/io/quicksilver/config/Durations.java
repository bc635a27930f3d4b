package io.quicksilver.config;

import java.time.Duration;

/** Parses durations written like {@code 40s}, {@code 500ms}, {@code 10m}, {@code 1h30m} or {@code 0}. */
public final class Durations {

  private Durations() {
  }

  /** @throws IllegalArgumentException when the text is not a duration */
  public static Duration parse(String text) {
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    Duration total = Duration.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (start == i || i - start > 12) {
        throw new IllegalArgumentException("not a duration: \"" + text + "\" (write e.g. 40s, 500ms, 10m, 1h)");
      }
      long amount = Long.parseLong(s.substring(start, i));
      int unitStart = i;
      while (i < s.length() && Character.isLetter(s.charAt(i))) {
        i++;
      }
      String unit = s.substring(unitStart, i);
      total = total.plus(switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> throw new IllegalArgumentException("not a duration: \"" + text + "\" (units: ms, s, m, h)");
      });
    }
    return total;
  }

  /** Formats a duration the way {@link #parse} reads it. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
