package io.quicksilver.config;

/** Parses byte sizes written like {@code 1048576}, {@code 512KiB}, {@code 1MiB}, {@code 2MB}. */
public final class Sizes {

  private Sizes() {
  }

  /** @throws IllegalArgumentException when the text is not a size */
  public static long parse(String text) {
    String s = text.trim();
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == 0 || i > 15) {
      throw new IllegalArgumentException("not a size: \"" + text + "\" (write e.g. 1048576, 512KiB, 1MiB)");
    }
    long n = Long.parseLong(s.substring(0, i));
    long unit = switch (s.substring(i).trim()) {
      case "", "B" -> 1;
      case "KB", "kB" -> 1_000;
      case "MB" -> 1_000_000;
      case "GB" -> 1_000_000_000;
      case "KiB" -> 1L << 10;
      case "MiB" -> 1L << 20;
      case "GiB" -> 1L << 30;
      default -> throw new IllegalArgumentException("not a size: \"" + text + "\" (units: B, KB, MB, GB, KiB, MiB, GiB)");
    };
    try {
      return Math.multiplyExact(n, unit);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("not a size: \"" + text + "\" (too large)");
    }
  }
}
