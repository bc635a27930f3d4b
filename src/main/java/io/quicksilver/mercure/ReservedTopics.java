package io.quicksilver.mercure;

/**
 * Decides whether a topic lies in the hub's reserved {@code /.well-known/mercure} namespace, where the
 * hub itself publishes (subscription events). Refusing such topics from publishers keeps anybody from
 * forging hub events (CWE-290).
 *
 * <p>The path of the topic is normalized first, so spelling tricks land in the same place: percent-encoded
 * unreserved characters are decoded ({@code %6D} is {@code m}) and dot segments are removed
 * ({@code /.well-known/x/../mercure}). With {@code resolveRelative}, a relative reference (including the
 * empty string) is resolved against the hub URL {@code /.well-known/mercure} first, as the draft-08
 * protocol asks; the classic protocol treats relative strings as opaque names.
 */
public final class ReservedTopics {

  private static final String HUB_PATH = "/.well-known/mercure";

  private ReservedTopics() {
  }

  /** Whether the topic names something inside the reserved namespace. */
  public static boolean isReserved(String topic, boolean resolveRelative) {
    String path = pathOf(topic, resolveRelative);
    if (path == null) {
      return false;
    }
    String normalized = removeDotSegments(decodeUnreserved(path));
    return normalized.equals(HUB_PATH) || normalized.startsWith(HUB_PATH + "/");
  }

  /** The path component, or null for a topic whose path is not hierarchical or that is relative (and not resolved). */
  static String pathOf(String topic, boolean resolveRelative) {
    String rest = topic;
    int schemeEnd = schemeLength(topic);
    if (schemeEnd > 0) {
      rest = topic.substring(schemeEnd + 1);
      if (!rest.startsWith("//")) {
        return null; // urn:, mailto:, ... have no hierarchical path
      }
    }
    if (rest.startsWith("//")) {
      int slash = indexOfAny(rest, 2, "/?#");
      if (slash < 0 || rest.charAt(slash) != '/') {
        return "";
      }
      rest = rest.substring(slash);
    }
    rest = rest.substring(0, endOfPath(rest));
    if (rest.startsWith("/")) {
      return rest;
    }
    if (!resolveRelative) {
      return null;
    }
    // RFC 3986 5.2.2/5.2.3: merge with the base path /.well-known/mercure
    if (rest.isEmpty()) {
      return HUB_PATH;
    }
    return "/.well-known/" + rest;
  }

  private static int schemeLength(String s) {
    if (s.isEmpty() || !Character.isLetter(s.charAt(0)) || s.charAt(0) > 0x7F) {
      return -1;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') {
        return i;
      }
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
      if (!ok) {
        return -1;
      }
    }
    return -1;
  }

  private static int endOfPath(String s) {
    int i = indexOfAny(s, 0, "?#");
    return i < 0 ? s.length() : i;
  }

  private static int indexOfAny(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  static String decodeUnreserved(String path) {
    if (path.indexOf('%') < 0) {
      return path;
    }
    StringBuilder sb = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' && i + 2 < path.length()) {
        int hi = Character.digit(path.charAt(i + 1), 16);
        int lo = Character.digit(path.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          char decoded = (char) (hi * 16 + lo);
          if ((decoded >= 'a' && decoded <= 'z') || (decoded >= 'A' && decoded <= 'Z') || (decoded >= '0' && decoded <= '9')
              || decoded == '-' || decoded == '.' || decoded == '_' || decoded == '~') {
            sb.append(decoded);
            i += 2;
            continue;
          }
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** RFC 3986 section 5.2.4. */
  static String removeDotSegments(String input) {
    StringBuilder out = new StringBuilder(input.length());
    String in = input;
    while (!in.isEmpty()) {
      if (in.startsWith("../")) {
        in = in.substring(3);
      } else if (in.startsWith("./")) {
        in = in.substring(2);
      } else if (in.startsWith("/./")) {
        in = in.substring(2);
      } else if (in.equals("/.")) {
        in = "/";
      } else if (in.startsWith("/../")) {
        in = in.substring(3);
        removeLastSegment(out);
      } else if (in.equals("/..")) {
        in = "/";
        removeLastSegment(out);
      } else if (in.equals(".") || in.equals("..")) {
        in = "";
      } else {
        int start = in.startsWith("/") ? 1 : 0;
        int next = in.indexOf('/', start);
        if (next < 0) {
          next = in.length();
        }
        out.append(in, 0, next);
        in = in.substring(next);
      }
    }
    return out.toString();
  }

  private static void removeLastSegment(StringBuilder out) {
    int last = out.lastIndexOf("/");
    out.setLength(Math.max(last, 0));
  }
}
