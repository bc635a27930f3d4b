package io.quicksilver.mercure;

import io.quicksilver.url.WhatwgUrl;
import java.util.List;

/**
 * The draft-08 rules on the fields of a publish request (section "Publication"): topics and the {@code id}
 * and {@code type} fields. The classic protocol's rules stay in {@link PublishRequest}; the reserved namespace,
 * which both generations share, is {@link ReservedTopics}.
 */
public final class Draft08Topics {

  /** The answers of {@link #isHubUrl} (asked for every request that derives the hub URL from its Host; bounded). */
  private static final BoundedCache<String, Boolean> HUB_URLS = new BoundedCache<>(256 * 1024);

  private Draft08Topics() {
  }

  /**
   * Whether a string can serve as the hub's URL: an absolute, hierarchical URL by the WHATWG URL parser, the
   * parser that resolves topics and URL patterns against it.
   */
  public static boolean isHubUrl(String url) {
    Boolean known = HUB_URLS.get(url);
    if (known == null) {
      WhatwgUrl parsed = WhatwgUrl.parse(url);
      known = parsed != null && !parsed.hasOpaquePath();
      HUB_URLS.put(url, known, 4L * url.length() + 128);
    }
    return known;
  }

  /**
   * Refuses the topics of an update that draft-08 does not let a publisher use, each checked for:
   *
   * <ul>
   *   <li>character constraints of "Terminology" ({@link MatcherValues#check});</li>
   *   <li>exactly {@code *}, reserved for the wildcard matcher;</li>
   *   <li>inside the {@linkplain ReservedTopics reserved namespace} of the hub URL (the empty topic resolves to
   *       the hub URL itself, so it is refused too).</li>
   * </ul>
   *
   * @param topics   the {@code topic} field values (canonical and alternates)
   * @param reserved the hub's reserved namespace
   * @throws ProtocolException 400 with the reason, for the first refused topic
   */
  public static void checkPublishTopics(List<String> topics, ReservedTopics reserved) {
    for (String topic : topics) {
      MatcherValues.check(topic, "topic");
      if (topic.equals(TopicSelector.ANY)) {
        throw ProtocolException.badRequest("topic must not be *, which is reserved for the wildcard matcher");
      }
    }
    reserved.check(topics);
  }

  /**
   * Refuses {@code id} and {@code type} values draft-08 reserves or forbids. Null means the field is absent;
   * an empty {@code id} means "let the hub generate one", as in the classic protocol.
   *
   * <ul>
   *   <li>{@code id}: character constraints, not starting with {@code #} (the hub's own fragment ids), not
   *       {@code earliest} (the reconciliation keyword);</li>
   *   <li>{@code type}: character constraints, not {@code mercure} (the type of hub-generated events).</li>
   * </ul>
   *
   * @throws ProtocolException 400 with the reason
   */
  public static void checkUpdateFields(String id, String type) {
    if (id != null) {
      MatcherValues.check(id, "\"id\"");
      if (id.startsWith("#")) {
        throw ProtocolException.badRequest("\"id\" must not start with #");
      }
      if (id.equals("earliest")) {
        throw ProtocolException.badRequest("\"id\" must not be the reserved value earliest");
      }
    }
    if (type != null) {
      MatcherValues.check(type, "\"type\"");
      ReservedTopics.checkType(type);
    }
  }
}
