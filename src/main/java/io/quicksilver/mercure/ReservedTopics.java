package io.quicksilver.mercure;

import io.quicksilver.url.WhatwgUrl;
import java.util.ArrayList;
import java.util.List;

/**
 * The hub's reserved namespace, where only the hub publishes (its subscription events): one rule for every
 * protocol mode and every token generation, so that no publisher can forge what the hub says (CWE-290).
 *
 * <p>A topic is resolved against the hub's URL with the WHATWG URL parser — the parser that resolves topics
 * for URL pattern matching, so the rule sees a topic the way a matcher does: relative references are
 * resolved, leading and trailing spaces and control characters dropped, tabs and newlines inside removed,
 * backslashes read as slashes (special schemes), dot segments removed. Its path then has the percent-encoded
 * unreserved characters decoded ({@code %6D} is {@code m}, in either case) and dot segments removed again.
 * It is reserved when that path is, or lies below, the hub URL's path or {@value HubPath#VALUE} (where the hub
 * publishes its subscription events, whatever path its resource identifier has), regardless of scheme or
 * authority (draft-08 "Reserved Hub Namespace"). A topic that is not a URL reference, or has an opaque path
 * ({@code urn:…}), names no hub path: no matcher can read it as one, and it passes.
 *
 * <p>The {@code type} {@code mercure} is reserved too: it marks hub events for draft-08 subscribers.
 */
public final class ReservedTopics {

  /** The SSE event type of hub events. */
  public static final String HUB_EVENT_TYPE = "mercure";

  /**
   * The namespaces of the hub URLs seen: one per configured resource identifier, or one per {@code Host} a request
   * derived it from (bounded: the client chooses the Host).
   */
  private static final BoundedCache<String, ReservedTopics> HUBS = new BoundedCache<>(256 * 1024);

  private final WhatwgUrl hub;
  private final List<String> roots;
  /** The last segment of every root, which a reserved topic's path must spell out; null when a root has none. */
  private final List<String> rootNames;
  /** The answers for the topics published lately (a publisher repeats its topics): parsing a URL costs more. */
  private final BoundedCache<String, Boolean> answers = new BoundedCache<>(1 << 20);

  private ReservedTopics(WhatwgUrl hub, List<String> roots) {
    this.hub = hub;
    this.roots = roots;
    List<String> names = new ArrayList<>();
    for (String root : roots) {
      String name = root.substring(root.lastIndexOf('/') + 1);
      if (name.isEmpty()) {
        names = null;
        break;
      }
      names.add(name);
    }
    this.rootNames = names;
  }

  /**
   * The reserved namespace of a hub.
   *
   * @param hubUrl the hub's URL (its resource identifier), e.g. {@code https://example.com/.well-known/mercure}
   * @throws IllegalArgumentException when the hub URL is not a hierarchical absolute URL
   */
  public static ReservedTopics of(String hubUrl) {
    ReservedTopics known = HUBS.get(hubUrl);
    if (known != null) {
      return known;
    }
    ReservedTopics parsed = parse(hubUrl);
    HUBS.put(hubUrl, parsed, 8L * hubUrl.length() + 512);
    return parsed;
  }

  private static ReservedTopics parse(String hubUrl) {
    WhatwgUrl hub = WhatwgUrl.parse(hubUrl);
    if (hub == null || hub.hasOpaquePath()) {
      throw new IllegalArgumentException("not a hierarchical absolute URL: " + hubUrl);
    }
    String path = normalizedPath(hub);
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1); // a hub URL ending in "/" reserves the same subtree
    }
    return new ReservedTopics(hub, path.equals(HubPath.VALUE) ? List.of(HubPath.VALUE) : List.of(path, HubPath.VALUE));
  }

  /** Whether the topic names something inside the reserved namespace. */
  public boolean contains(String topic) {
    if (plainlyOutside(topic)) {
      return false;
    }
    Boolean known = answers.get(topic);
    if (known == null) {
      known = resolve(topic);
      answers.put(topic, known, 2L * topic.length() + 96);
    }
    return known;
  }

  /**
   * Whether the topic is, without parsing it, outside the namespace: an absolute URL with an authority ({@code
   * scheme://}, so that nothing of the hub URL is inherited), nothing the parser would decode, drop or turn into a
   * slash ({@code %}, a backslash, spaces and control characters), and no root's last segment spelled anywhere in it —
   * the resolved path is then made of the topic's own characters, and a reserved one would spell that segment.
   * Most topics are such URLs; the others are resolved.
   */
  boolean plainlyOutside(String topic) {
    if (rootNames == null) {
      return false;
    }
    int n = topic.length();
    int colon = topic.indexOf(':');
    if (colon < 1 || colon + 2 >= n || topic.charAt(colon + 1) != '/' || topic.charAt(colon + 2) != '/' || !isAsciiLetter(topic.charAt(0))) {
      return false;
    }
    for (int i = 1; i < colon; i++) {
      char c = topic.charAt(i);
      if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
        return false;
      }
    }
    for (int i = 0; i < n; i++) {
      char c = topic.charAt(i);
      if (c <= ' ' || c == '%' || c == '\\' || c == 0x7F) {
        return false;
      }
    }
    for (String name : rootNames) {
      if (topic.contains(name)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  boolean resolve(String topic) {
    WhatwgUrl url = WhatwgUrl.parse(topic, hub);
    if (url == null || url.hasOpaquePath()) {
      return false;
    }
    String path = normalizedPath(url);
    for (String root : roots) {
      if (path.equals(root) || path.startsWith(root) && path.length() > root.length() && path.charAt(root.length()) == '/') {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses an update that has a topic in the reserved namespace.
   *
   * @throws ProtocolException 400 naming the namespace
   */
  public void check(List<String> topics) {
    for (String topic : topics) {
      if (contains(topic)) {
        throw ProtocolException.badRequest("topic in the hub's reserved namespace " + roots.get(0));
      }
    }
  }

  /**
   * Refuses the type of hub events.
   *
   * @param type the {@code type} field, or null
   * @throws ProtocolException 400 when it is {@value #HUB_EVENT_TYPE}
   */
  public static void checkType(String type) {
    if (HUB_EVENT_TYPE.equals(type)) {
      throw ProtocolException.badRequest("\"type\" must not be mercure, which is reserved for hub events");
    }
  }

  private static String normalizedPath(WhatwgUrl url) {
    return removeDotSegments(decodeUnreserved(url.pathname()));
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

  /** RFC 3986 section 5.2.4, in one pass (a topic can be as long as a publish body). */
  static String removeDotSegments(String in) {
    StringBuilder out = new StringBuilder(in.length());
    int n = in.length();
    int i = 0;
    while (i < n) {
      if (in.startsWith("../", i)) {
        i += 3;
      } else if (in.startsWith("./", i) || in.startsWith("/./", i)) {
        i += 2;
      } else if (i + 2 == n && in.startsWith("/.", i)) {
        out.append('/');
        i = n;
      } else if (in.startsWith("/../", i)) {
        i += 3;
        removeLastSegment(out);
      } else if (i + 3 == n && in.startsWith("/..", i)) {
        removeLastSegment(out);
        out.append('/');
        i = n;
      } else if (i + 1 == n && in.charAt(i) == '.' || i + 2 == n && in.startsWith("..", i)) {
        i = n;
      } else {
        int next = in.indexOf('/', in.charAt(i) == '/' ? i + 1 : i);
        if (next < 0) {
          next = n;
        }
        out.append(in, i, next);
        i = next;
      }
    }
    return out.toString();
  }

  private static void removeLastSegment(StringBuilder out) {
    int last = out.lastIndexOf("/");
    out.setLength(Math.max(last, 0));
  }
}
