package io.quicksilver.mercure;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body, decoded strictly.
 *
 * <p>Unlike a lenient decoder, a malformed percent escape or bytes that are not valid UTF-8 are errors,
 * never silently replaced by U+FFFD: the hub must not store something other than what was sent.
 *
 * @param fields name/value pairs in body order
 */
public record FormData(List<Map.Entry<String, String>> fields) {

  public FormData {
    fields = List.copyOf(fields);
  }

  /** Parses a body, however many fields it has (trusted input: a query string already counted, tests). */
  public static FormData parse(byte[] body) {
    return parse(body, Integer.MAX_VALUE);
  }

  /**
   * Parses a body of at most {@code maxFields} fields, counted before anything is decoded.
   *
   * @throws ProtocolException 413 for more fields, 400 for a malformed body
   */
  public static FormData parse(byte[] body, int maxFields) {
    int separators = 0;
    for (byte b : body) {
      if (b == '&' && ++separators >= maxFields) {
        throw new ProtocolException(413, "more than " + maxFields + " form fields");
      }
    }
    List<Map.Entry<String, String>> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '&') {
        if (i > start) {
          int eq = -1;
          for (int j = start; j < i; j++) {
            if (body[j] == '=') {
              eq = j;
              break;
            }
          }
          String name = decode(body, start, eq < 0 ? i : eq);
          String value = eq < 0 ? "" : decode(body, eq + 1, i);
          out.add(Map.entry(name, value));
        }
        start = i + 1;
      }
    }
    return new FormData(out);
  }

  /** These fields followed by another's (the union of a query and a form body). */
  public FormData with(FormData more) {
    List<Map.Entry<String, String>> all = new ArrayList<>(fields);
    all.addAll(more.fields);
    return new FormData(all);
  }

  /** All values of a field, in order. */
  public List<String> all(String name) {
    List<String> values = new ArrayList<>(1);
    for (Map.Entry<String, String> e : fields) {
      if (e.getKey().equals(name)) {
        values.add(e.getValue());
      }
    }
    return values;
  }

  /** How many times a field is present. */
  public int count(String name) {
    int n = 0;
    for (Map.Entry<String, String> e : fields) {
      if (e.getKey().equals(name)) {
        n++;
      }
    }
    return n;
  }

  /** The first value of a field, or null. */
  public String first(String name) {
    for (Map.Entry<String, String> e : fields) {
      if (e.getKey().equals(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Whether the field is present (even with an empty value). */
  public boolean has(String name) {
    return first(name) != null;
  }

  private static String decode(byte[] body, int from, int to) {
    byte[] bytes = new byte[to - from];
    int n = 0;
    boolean ascii = true;
    for (int i = from; i < to; i++) {
      byte b = body[i];
      if (b < 0) {
        ascii = false;
        bytes[n++] = b;
      } else if (b == '+') {
        bytes[n++] = ' ';
      } else if (b == '%') {
        if (i + 2 >= to) {
          throw ProtocolException.badRequest("malformed form body: truncated percent escape");
        }
        int hi = Character.digit(body[i + 1], 16);
        int lo = Character.digit(body[i + 2], 16);
        if (hi < 0 || lo < 0) {
          throw ProtocolException.badRequest("malformed form body: invalid percent escape");
        }
        bytes[n++] = (byte) (hi * 16 + lo);
        ascii &= hi < 8;
        i += 2;
      } else {
        bytes[n++] = b;
      }
    }
    if (ascii) {
      return new String(bytes, 0, n, StandardCharsets.US_ASCII); // ASCII is valid UTF-8: nothing to check
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, n));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw ProtocolException.badRequest("malformed form body: not valid UTF-8");
    }
  }
}
