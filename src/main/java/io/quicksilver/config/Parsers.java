package io.quicksilver.config;

import io.quicksilver.auth.JwtKey;
import io.quicksilver.mercure.Draft08Topics;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The parsers of single key values, each given the key's (trimmed) text. Each throws an
 * {@link IllegalArgumentException} whose message says what is wrong without quoting a secret; the loader
 * prefixes it with where the value came from.
 */
final class Parsers {

  /** The JWT algorithms, for messages. */
  static final String ALGORITHM_NAMES = String.join(", ", JwtKey.ALGORITHMS.stream().sorted().toList());

  private Parsers() {
  }

  static boolean bool(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException("not a boolean: \"" + s + "\" (true or false)");
    };
  }

  static int intIn(String s, int min, int max) {
    long n;
    try {
      n = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number: \"" + s + "\"");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(n + " is out of range [" + min + ", " + max + "]");
    }
    return (int) n;
  }

  static long sizeIn(String s, long min, long max) {
    long n = Sizes.parse(s);
    if (n < min || n > max) {
      throw new IllegalArgumentException(s + " is out of range [" + min + ", " + max + "] bytes");
    }
    return n;
  }

  static double doubleIn(String s, double min, double max) {
    double d;
    try {
      d = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: \"" + s + "\"");
    }
    if (!(d >= min && d <= max)) {
      throw new IllegalArgumentException(s + " is out of range [" + min + ", " + max + "]");
    }
    return d;
  }

  static Duration positiveDuration(String s) {
    Duration d = Durations.parse(s);
    if (d.isZero()) {
      throw new IllegalArgumentException("must be more than 0");
    }
    return d;
  }

  /** A clock leeway: whole seconds, at most ten minutes. */
  static Duration leeway(String s) {
    Duration d = Durations.parse(s);
    if (d.toMillis() % 1000 != 0 || d.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("must be whole seconds, at most 10m");
    }
    return d;
  }

  static String nonEmpty(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return s;
  }

  static String jwtAlgorithm(String s) {
    if (!JwtKey.ALGORITHMS.contains(s)) {
      throw new IllegalArgumentException("unsupported JWT algorithm \"" + s + "\" (" + ALGORITHM_NAMES + ")");
    }
    return s;
  }

  static String cookieName(String s) {
    if (s.isEmpty() || !s.chars().allMatch(c -> c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
      throw new IllegalArgumentException("not a valid cookie name: \"" + s + "\"");
    }
    return s;
  }

  static List<String> origins(String s) {
    List<String> out = new ArrayList<>();
    for (String o : split(s, "[\\s,]+")) {
      if (!o.equals("*") && !o.matches("[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s]+")) {
        throw new IllegalArgumentException("not an origin (scheme://host[:port]): \"" + o + "\"");
      }
      out.add(o.equals("*") ? o : o.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /** The hub's resource identifier (RFC 9728: an https URL, http for development, without fragment), or null when empty. */
  static String resourceIdentifier(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      URI uri = new URI(s);
      if (("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null && uri.getFragment() == null && Draft08Topics.isHubUrl(s)) {
        return s;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new IllegalArgumentException("not an http(s) URL without fragment: \"" + s + "\"");
  }

  static String redisUrl(String s) {
    if (!s.startsWith("redis://") && !s.startsWith("rediss://") && !s.startsWith("unix://")) {
      throw new IllegalArgumentException("not a Redis URL (redis://host:port[/db])");
    }
    return s;
  }

  /** One or more Redis URLs, space-separated; returned joined by single spaces, or null when there is none. */
  static String redisUrls(String s) {
    List<String> urls = split(s, "\\s+").stream().map(Parsers::redisUrl).toList();
    return urls.isEmpty() ? null : String.join(" ", urls);
  }

  static List<String> members(String s) {
    return wordsMatching(s, "[A-Za-z0-9.\\-]+:\\d{1,5}", "not a host:port member");
  }

  static String publicUrl(String s) {
    String url = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    if (!url.matches("https?://[^/\\s]+")) {
      throw new IllegalArgumentException("not a base URL (http(s)://host[:port]): \"" + s + "\"");
    }
    return url;
  }

  static List<String> symbols(String s) {
    List<String> out = wordsMatching(s, "[A-Z0-9.]{1,10}", "not a ticker symbol (A-Z, 0-9, dot; at most 10)");
    if (out.isEmpty()) {
      throw new IllegalArgumentException("at least one symbol is needed");
    }
    return out;
  }

  static List<HubConfig.User> users(String s) {
    List<HubConfig.User> out = new ArrayList<>();
    for (String entry : split(s, "\\s+")) {
      String[] parts = entry.split(":", 3);
      if (parts.length != 3 || !parts[0].matches("[a-z0-9_-]{1,64}") || parts[1].isEmpty() || !parts[2].startsWith("pbkdf2-sha256:")) {
        throw new IllegalArgumentException("a user is id:name:pbkdf2-sha256:<iterations>:<salt>:<hash> (see `java -jar quicksilver.jar hash-password`)");
      }
      out.add(new HubConfig.User(parts[0], parts[1], parts[2]));
    }
    return out;
  }

  static String logLevel(String s) {
    String level = s.toUpperCase(Locale.ROOT);
    if (!List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(level)) {
      throw new IllegalArgumentException("not a log level: \"" + s + "\" (ERROR, WARN, INFO, DEBUG, TRACE)");
    }
    return level;
  }

  /**
   * The constant of {@code type} whose name, in lower case, is the text (in any case); otherwise refused, listing them.
   *
   * @param what what a constant of the type is, for the message ("a transport")
   */
  static <E extends Enum<E>> E constant(Class<E> type, String what, String s) {
    E[] constants = type.getEnumConstants();
    List<String> names = Arrays.stream(constants).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    int i = names.indexOf(s.toLowerCase(Locale.ROOT));
    if (i < 0) {
      String choices = String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
      throw new IllegalArgumentException("not " + what + ": \"" + s + "\" (" + choices + ")");
    }
    return constants[i];
  }

  static String logFormat(String s) {
    String format = s.toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException("not a log format: \"" + s + "\" (text, json)");
    }
    return format;
  }

  /** A regular readable file, or null when the text is empty. */
  static Path readableFile(String s) {
    if (s.isEmpty()) {
      return null;
    }
    Path p = Path.of(s);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new IllegalArgumentException("no readable file at " + s);
    }
    return p;
  }

  /** The text itself, which must name a readable file unless it is empty. */
  static String readableFileOrEmpty(String s) {
    if (!s.isEmpty() && !Files.isReadable(Path.of(s))) {
      throw new IllegalArgumentException("no readable file at " + s);
    }
    return s;
  }

  static List<Cidr> cidrs(String s) {
    return split(s, "[\\s,]+").stream().map(Cidr::parse).toList();
  }

  /** The words of a space- or comma-separated list, each of which must match {@code word} (else: {@code what}, and the word). */
  private static List<String> wordsMatching(String s, String word, String what) {
    List<String> out = split(s, "[\\s,]+");
    for (String w : out) {
      if (!w.matches(word)) {
        throw new IllegalArgumentException(what + ": \"" + w + "\"");
      }
    }
    return out;
  }

  /** The non-empty parts of a list, split where {@code separators} (a regular expression) match. */
  private static List<String> split(String s, String separators) {
    return Arrays.stream(s.split(separators)).filter(w -> !w.isEmpty()).toList();
  }
}
