package io.quicksilver.mercure;

import java.nio.charset.StandardCharsets;

/**
 * The character constraints draft-08 puts on topics, topic matcher values and the {@code id} and
 * {@code type} publish fields (sections "Terminology", "Subscription" and "Publication").
 *
 * <p>A value must be valid UTF-8 and must not contain C0 (U+0000–U+001F) or C1 (U+0080–U+009F) control
 * characters, U+007F, or Unicode format characters (general category {@code Cf}): they are invisible,
 * enable identifier spoofing, and CR, LF and NUL would inject Server-Sent Events fields (CWE-93).
 * A Java string is valid UTF-8 unless it holds an unpaired surrogate.
 */
public final class MatcherValues {

  /** Longest topic matcher value, in UTF-8 bytes (subscription parameters, token grants, URL patterns). */
  public static final int MAX_MATCHER_BYTES = 4096;

  private MatcherValues() {
  }

  /**
   * Refuses a topic matcher value that is longer than {@link #MAX_MATCHER_BYTES} or breaks the character
   * constraints.
   *
   * @throws ProtocolException 400 with the reason
   */
  public static void checkMatcher(String value, String what) {
    if (value.length() * 3L > MAX_MATCHER_BYTES && value.getBytes(StandardCharsets.UTF_8).length > MAX_MATCHER_BYTES) {
      throw ProtocolException.badRequest(what + " longer than " + MAX_MATCHER_BYTES + " bytes");
    }
    check(value, what);
  }

  /**
   * Refuses a value that breaks the character constraints.
   *
   * @param value the decoded value
   * @param what  how the reason names the value, e.g. {@code "topic"}
   * @throws ProtocolException 400 naming the first offending character
   */
  public static void check(String value, String what) {
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
          throw ProtocolException.badRequest(what + " is not valid UTF-8");
        }
        int cp = Character.toCodePoint(c, value.charAt(i + 1));
        if (Character.getType(cp) == Character.FORMAT) {
          throw refused(what, cp);
        }
        i += 2;
        continue;
      }
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || Character.getType(c) == Character.FORMAT) {
        throw refused(what, c);
      }
      i++;
    }
  }

  private static ProtocolException refused(String what, int cp) {
    return ProtocolException.badRequest(what + " must not contain control or format characters (U+"
        + String.format("%04X", cp) + ")");
  }
}
