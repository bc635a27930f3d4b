package io.quicksilver.mercure;

import io.quicksilver.url.WhatwgUrl;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The percent-encodings the hub writes besides URLs, each as the set of printable ASCII characters it encodes:
 * one algorithm ({@link WhatwgUrl#percentEncode}, UTF-8, upper-case hex, C0 controls and non-ASCII always encoded),
 * several syntaxes.
 */
public final class PercentEncoding {

  private static final String ALPHA_DIGIT = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /**
   * RFC 6570 simple string expansion ({@code {var}}): all but the unreserved characters ({@code A-Z a-z 0-9 - . _ ~}),
   * so that {@code :}, {@code /}, <code>{</code>, <code>}</code> and {@code %} itself never split or escape a path segment.
   */
  public static final String SIMPLE_EXPANSION = allBut(ALPHA_DIGIT + "-._~");
  /**
   * RFC 8187 {@code attr-char}, the characters an extended header parameter ({@code name*=UTF-8''...}) keeps as they are:
   * ALPHA, DIGIT and {@code ! # $ & + - . ^ _ ` | ~}.
   */
  public static final String ATTR_CHAR = allBut(ALPHA_DIGIT + "!#$&+-.^_`|~");
  /**
   * The opaque part of an entity tag: RFC 9110 {@code etagc} keeps {@code !} and {@code #} to {@code ~} but not
   * {@code "}; {@code %} is encoded too (so that distinct values keep distinct tags), and {@code ,}, which would split
   * an {@code If-None-Match} list.
   */
  public static final String ENTITY_TAG = " \"%,";

  private PercentEncoding() {
  }

  /** {@code value} with the characters of {@code set} (and C0 controls and non-ASCII) percent-encoded. */
  public static String encode(String value, String set) {
    return WhatwgUrl.percentEncode(value, set);
  }

  /** The printable ASCII characters not in {@code kept}. */
  private static String allBut(String kept) {
    return IntStream.range(0x20, 0x7F).filter(c -> kept.indexOf(c) < 0).mapToObj(Character::toString).collect(Collectors.joining());
  }
}
