package io.quicksilver.mercure;

import java.util.List;

/**
 * The fields of a publish request (classic protocol, "Publication"), validated.
 *
 * @param topics canonical topic first, then alternates
 * @param id     the id the publisher asked for, or null to let the hub generate one
 * @param data   the data, empty when absent
 * @param privateUpdate whether the {@code private} field was present (with any value)
 * @param type   the SSE event type, or null
 * @param retry  the SSE retry in milliseconds, or null
 */
public record PublishRequest(List<String> topics, String id, String data, boolean privateUpdate, String type, Long retry) {

  /** Longest topic, in UTF-8 bytes (as a matcher); longer: 413. */
  public static final int MAX_TOPIC_BYTES = MatcherValues.MAX_MATCHER_BYTES;
  /**
   * Most bytes all the topics of one update may take together; more: 413. Every topic is resolved (reserved
   * namespace) at publish time and matched against every template and pattern subscriber: this bounds that work.
   */
  public static final int MAX_TOPICS_BYTES = 64 * 1024;
  /** Largest accepted {@code retry} value (milliseconds; about 24.8 days, fits the browser's 32-bit timers). */
  public static final long MAX_RETRY = Integer.MAX_VALUE;

  public PublishRequest {
    topics = List.copyOf(topics);
  }

  /**
   * Validates a decoded form. Unknown fields are ignored. The topics' place in the hub's namespace is checked
   * apart ({@link ReservedTopics}): it depends on the hub's URL.
   *
   * @param maxTopics the most topics one update may carry
   * @throws ProtocolException 400 with the reason when a field is invalid; 413 for a topic over {@link #MAX_TOPIC_BYTES}
   *                           or topics over {@link #MAX_TOPICS_BYTES} together
   */
  public static PublishRequest from(FormData form, int maxTopics) {
    List<String> topics = form.all("topic");
    if (topics.isEmpty()) {
      throw ProtocolException.badRequest("missing \"topic\" field");
    }
    if (topics.size() > maxTopics) {
      throw ProtocolException.badRequest("too many \"topic\" fields (at most " + maxTopics + ")");
    }
    long total = 0;
    for (String topic : topics) {
      if (topic.isEmpty()) {
        throw ProtocolException.badRequest("empty \"topic\" field");
      }
      requireSingleLine("topic", topic);
      int bytes = utf8Length(topic);
      if (bytes > MAX_TOPIC_BYTES) {
        throw new ProtocolException(413, "\"topic\" longer than " + MAX_TOPIC_BYTES + " bytes");
      }
      total += bytes;
    }
    if (total > MAX_TOPICS_BYTES) {
      throw new ProtocolException(413, "the topics of one update take more than " + MAX_TOPICS_BYTES + " bytes");
    }
    String id = form.first("id");
    if (id != null) {
      if (id.isEmpty()) {
        id = null;
      } else {
        requireSingleLine("id", id);
        if (id.startsWith("#")) {
          throw ProtocolException.badRequest("\"id\" must not start with #");
        }
        if (id.equals("earliest")) {
          throw ProtocolException.badRequest("\"id\" must not be the reserved value earliest");
        }
      }
    }
    String type = form.first("type");
    if (type != null) {
      requireSingleLine("type", type);
      ReservedTopics.checkType(type);
      if (type.isEmpty()) {
        type = null;
      }
    }
    Long retry = parseRetry(form.first("retry"));
    String data = form.first("data");
    return new PublishRequest(topics, id, data == null ? "" : data, form.has("private"), type, retry);
  }

  /** Builds the update this request describes, with the given id and no sequence yet. */
  public Update toUpdate(String assignedId) {
    return new Update(0, assignedId, topics, data, privateUpdate, type, retry);
  }

  private static Long parseRetry(String retry) {
    if (retry == null || retry.isEmpty()) {
      return null;
    }
    for (int i = 0; i < retry.length(); i++) {
      char c = retry.charAt(i);
      if (c < '0' || c > '9') {
        throw ProtocolException.badRequest("\"retry\" must be ASCII digits");
      }
    }
    if (retry.length() > 10 || Long.parseLong(retry) > MAX_RETRY) {
      throw ProtocolException.badRequest("\"retry\" is too large (at most " + MAX_RETRY + ")");
    }
    return Long.parseLong(retry);
  }

  private static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3; // a surrogate pair: 4
    }
    return bytes;
  }

  private static void requireSingleLine(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == '\0') {
        throw ProtocolException.badRequest("\"" + field + "\" must not contain CR, LF or NUL");
      }
    }
  }
}
