package io.quicksilver.mercure;

import java.util.ArrayDeque;

/**
 * Measures, from its text alone, what compiling a regular expression (RE2 syntax) with re2j costs: an upper
 * bound of its program's instruction count, plus the work of re2j's parser, in one pass over the text,
 * without building anything. One unit is about one instruction: some 100 ns of compilation and 64 bytes of
 * program.
 *
 * <p>The count follows re2j's compiler: one instruction per literal character, character class, {@code .},
 * anchor or escape; two per capturing group; one per alternative after the first, per {@code *}, {@code +} and
 * {@code ?}; a counted repetition {@code x{n,m}} is expanded to {@code n} copies of {@code x} followed by
 * {@code m - n} optional ones (each one instruction more), {@code x{n,}} to {@code n} copies and a loop; two
 * for the program's start and end. Rewrites re2j may make (merging alternatives into a class, factoring
 * prefixes) only make its program smaller.
 *
 * <p>re2j has costs of its own, measured here (re2j 1.8): {@value #COMPILE} for any expression, however small; each escape, class and group costs about as
 * much as {@value #ITEM} instructions; each class and each {@code (?} group copies the rest of the text
 * ({@code StringIterator.rest()}), so they also cost the remaining length / {@value #COPY_CHARS}; a Unicode
 * class ({@code \pL}, {@code [:alpha:]}) builds its hundreds of ranges ({@value #UNICODE_CLASS}); and a run
 * of literal characters is merged into one string by copying it whole at every character (each literal costs
 * its position in the run / {@value #COPY_CHARS}). {@link #LITERAL_RUN} tells generators where to break
 * runs with an empty group ({@link #appendLiteral}; the URL Pattern compiler of {@code io.quicksilver.url},
 * which cannot depend on this package, breaks its runs at the same length).
 *
 * <p>Like RE2 (C++), it also refuses what re2j would accept but should not: a repetition count over
 * {@value #MAX_REPEAT}, nested counted repetitions whose counts multiply past {@value #MAX_REPEAT}
 * ({@code (?:a{100}){100}}), and groups nested deeper than {@value #MAX_DEPTH} (re2j's parser, simplifier and
 * compiler recurse per level). Syntax errors are left to re2j, which refuses them when compiling: for any text
 * re2j accepts, the count is an upper bound.
 */
final class RegexCost {

  /** Largest repetition count, and largest product of nested repetition counts. */
  static final int MAX_REPEAT = 1000;
  /** Deepest nesting of groups. */
  static final int MAX_DEPTH = 100;
  /** What any compilation costs besides its program: re2j's fixed work per expression (some 20 µs). */
  static final int COMPILE = 200;
  /** Parser cost of an escape, a class or a group. */
  static final int ITEM = 16;
  /** Parser cost of a Unicode or POSIX class. */
  static final int UNICODE_CLASS = 64;
  /** Parser cost of a Unicode or POSIX class inside brackets (its ranges are merged with the others'). */
  static final int CLASS_UNION = 256;
  /** Characters re2j's parser copies for the cost of one instruction. */
  static final int COPY_CHARS = 128;
  /** Longest run of literal characters generators emit before an empty group {@code (?:)} breaks it. */
  static final int LITERAL_RUN = 64;
  /** The characters RE2 reads as operators outside a class. */
  private static final String METACHARACTERS = "\\.+*?()|[]{}^$";

  /** One group being read (the whole expression is the outermost). */
  private static final class Frame {
    final boolean capture;
    /** Sum of the finished alternatives. */
    long alternatives;
    int alternativeCount = 1;
    /** Sum of the finished items of the current alternative (the last item not included). */
    long sequence;
    /** Size of the last item (a repetition operator applies to it), or -1 when there is none. */
    long last = -1;
    /** Largest product of nested counted repetitions inside the last item. */
    long lastRepeat = 1;
    /** Largest product of nested counted repetitions among the finished items. */
    long repeat = 1;

    Frame(boolean capture) {
      this.capture = capture;
    }

    void item(long size, long repeatProduct, long cap) {
      flush(cap);
      last = size;
      lastRepeat = repeatProduct;
    }

    void flush(long cap) {
      if (last >= 0) {
        sequence = Math.min(cap, sequence + last);
        repeat = Math.max(repeat, lastRepeat);
        last = -1;
      }
    }

    void alternative(long cap) {
      flush(cap);
      alternatives = Math.min(cap, alternatives + Math.max(1, sequence)); // an empty alternative is one instruction
      alternativeCount++;
      sequence = 0;
    }

    /** The group's size (alternation instructions and capture included) once its text is over. */
    long size(long cap) {
      flush(cap);
      long size = alternatives + Math.max(1, sequence) + (alternativeCount - 1) + (capture ? 2 : 0);
      return Math.min(cap, size);
    }
  }

  private RegexCost() {
  }

  /**
   * The instruction count of the program re2j would compile {@code regex} to, or {@code cap + 1} when it is
   * larger than {@code cap} (the count stops growing there).
   *
   * @param what names the expression in the reason, e.g. {@code "URL pattern"}
   * @throws ProtocolException 400 {@code invalid_request} for a repetition count over {@value #MAX_REPEAT},
   *                           nested counts multiplying past it, or groups nested deeper than {@value #MAX_DEPTH}
   */
  static long instructions(String regex, long cap, String what) {
    long limit = Math.max(0, cap) + 1;
    ArrayDeque<Frame> open = new ArrayDeque<>();
    Frame frame = new Frame(false);
    int n = regex.length();
    long parser = 0; // re2j's parser work, in instructions
    long copied = 0; // characters re2j's parser copies
    long run = 0; // length of the current run of literal characters
    int i = 0;
    while (i < n && parser + copied / COPY_CHARS < limit) {
      char c = regex.charAt(i);
      if (c == '\\' || c == '[' || c == '(') {
        parser += ITEM;
      }
      if (c == '[' || c == '(' && i + 1 < n && regex.charAt(i + 1) == '?') {
        copied += 2L * (n - i);
      }
      // a run of literals: characters, escaped characters, classes (a one-character class is a literal for re2j)
      // and braces that are not repetitions; a group's content can merge with what surrounds it, and only an
      // empty group breaks the run
      if (isLiteral(regex, i)) {
        copied += ++run;
      } else if (c != '(' && c != ')' && c != '{') {
        run = 0;
      }
      switch (c) {
        case '(' -> {
          if (open.size() + 1 > MAX_DEPTH) {
            throw ProtocolException.invalidRequest(what + " too complex: groups nested more than " + MAX_DEPTH + " deep");
          }
          if (regex.startsWith("(?:)", i)) {
            run = 0;
          }
          int end = groupStart(regex, i);
          if (end < 0) {
            i++; // a flag group such as (?i): no item
            while (i < n && regex.charAt(i - 1) != ')') {
              i++;
            }
            continue;
          }
          open.push(frame);
          frame = new Frame(isCapture(regex, i));
          i = end;
          continue;
        }
        case ')' -> {
          if (open.isEmpty()) {
            frame.item(1, 1, limit); // unbalanced: re2j refuses it
          } else {
            long size = frame.size(limit);
            long repeat = Math.max(frame.repeat, frame.lastRepeat);
            frame = open.pop();
            frame.item(size, repeat, limit);
          }
        }
        case '|' -> frame.alternative(limit);
        case '*', '+', '?' -> {
          if (frame.last < 0) {
            frame.item(1, 1, limit);
          } else {
            frame.last = Math.min(limit, frame.last + 1);
            if (i + 1 < n && regex.charAt(i + 1) == '?') {
              i++; // non-greedy
            }
          }
        }
        case '{' -> {
          int end = repeat(regex, i, frame, limit, what);
          if (end > i) {
            parser += ITEM + frame.last; // re2j's simplifier copies the repeated expression as often as its compiler does
            run = 0;
            i = end;
            continue;
          }
          copied += ++run;
          frame.item(1, 1, limit); // not a repetition: a literal brace
        }
        case '[' -> {
          int end = classEnd(regex, i);
          parser += CLASS_UNION * unicodeClasses(regex, i, end);
          i = end;
          frame.item(1, 1, limit);
          continue;
        }
        case '\\' -> {
          if (i + 1 < n && regex.charAt(i + 1) == 'Q') {
            int end = regex.indexOf("\\E", i + 2);
            int stop = end < 0 ? n : end;
            copied += n - i;
            for (int k = i + 2; k < stop; k++) {
              frame.item(1, 1, limit);
              copied += ++run;
            }
            i = end < 0 ? n : end + 2;
            continue;
          }
          int end = escapeEnd(regex, i);
          parser += UNICODE_CLASS * unicodeClasses(regex, i, end);
          i = end;
          frame.item(1, 1, limit);
          continue;
        }
        default -> frame.item(1, 1, limit);
      }
      i++;
    }
    if (i < n) {
      return limit; // the parser alone costs more than the cap
    }
    while (!open.isEmpty()) { // unclosed groups: re2j refuses them
      long size = frame.size(limit);
      frame = open.pop();
      frame.item(size, 1, limit);
    }
    return Math.min(limit, COMPILE + frame.size(limit) + 2 + parser + copied / COPY_CHARS);
  }

  /**
   * Appends text to a regular expression as literal characters: RE2's metacharacters escaped, and an empty
   * group after every {@link #LITERAL_RUN} characters so that re2j's parser never merges a long run.
   */
  static void appendLiteral(StringBuilder regex, CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      if (i > 0 && i % LITERAL_RUN == 0) {
        regex.append("(?:)");
      }
      char c = text.charAt(i);
      if (METACHARACTERS.indexOf(c) >= 0) {
        regex.append('\\');
      }
      regex.append(c);
    }
  }

  /** Whether the item at {@code i} is a literal character (a run re2j merges into one string). */
  private static boolean isLiteral(String regex, int i) {
    char c = regex.charAt(i);
    if (c == '\\') {
      return i + 1 < regex.length() && "dDsSwWpPbBAzQ".indexOf(regex.charAt(i + 1)) < 0;
    }
    return "()|*+?{}.^$".indexOf(c) < 0;
  }

  /** How many Unicode and POSIX classes the text between {@code from} and {@code to} names. */
  private static int unicodeClasses(String regex, int from, int to) {
    int count = 0;
    for (int k = from; k + 1 < to; k++) {
      char c = regex.charAt(k);
      char next = regex.charAt(k + 1);
      if (c == '\\' && (next == 'p' || next == 'P') || c == '[' && next == ':') {
        count++;
      }
      if (c == '\\') {
        k++;
      }
    }
    return count;
  }

  /**
   * Where the content of a group starting at {@code i} begins, or -1 for a flag group ({@code (?i)}) that
   * holds nothing.
   */
  private static int groupStart(String regex, int i) {
    int n = regex.length();
    if (i + 1 >= n || regex.charAt(i + 1) != '?') {
      return i + 1;
    }
    int k = i + 2;
    if (k < n && (regex.charAt(k) == 'P' || regex.charAt(k) == '<')) {
      int close = regex.indexOf('>', k);
      return close < 0 ? n : close + 1;
    }
    while (k < n && "imsU-".indexOf(regex.charAt(k)) >= 0) {
      k++;
    }
    if (k < n && regex.charAt(k) == ')') {
      return -1;
    }
    return k < n && regex.charAt(k) == ':' ? k + 1 : k; // anything else is a syntax error for re2j
  }

  private static boolean isCapture(String regex, int i) {
    if (i + 1 >= regex.length() || regex.charAt(i + 1) != '?') {
      return true;
    }
    return i + 2 < regex.length() && (regex.charAt(i + 2) == 'P' || regex.charAt(i + 2) == '<');
  }

  /**
   * Applies a counted repetition {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code i} to the last item and
   * returns the index after it, or returns {@code i} when the text there is not a repetition (a literal brace).
   */
  private static int repeat(String regex, int i, Frame frame, long limit, String what) {
    int n = regex.length();
    int k = i + 1;
    int minStart = k;
    while (k < n && isDigit(regex.charAt(k))) {
      k++;
    }
    if (k == minStart || k >= n) {
      return i;
    }
    long min = number(regex, minStart, k);
    long max = min;
    if (regex.charAt(k) == ',') {
      k++;
      int maxStart = k;
      while (k < n && isDigit(regex.charAt(k))) {
        k++;
      }
      max = k == maxStart ? -1 : number(regex, maxStart, k);
    }
    if (k >= n || regex.charAt(k) != '}') {
      return i;
    }
    k++;
    if (frame.last < 0) {
      return i; // nothing to repeat: re2j refuses it
    }
    if (min > MAX_REPEAT || max > MAX_REPEAT) {
      throw ProtocolException.invalidRequest(what + " too complex: a repetition count over " + MAX_REPEAT);
    }
    long s = frame.last;
    long size;
    if (max < 0) {
      size = min == 0 ? s + 1 : min * s + 1;
    } else if (max == 0) {
      size = 1;
    } else {
      size = min * s + Math.max(0, max - min) * (s + 1);
    }
    long product = frame.lastRepeat * Math.max(1, max >= 0 ? max : min);
    if (product > MAX_REPEAT) {
      throw ProtocolException.invalidRequest(what + " too complex: nested repetition counts multiply past " + MAX_REPEAT);
    }
    frame.last = Math.min(limit, size);
    frame.lastRepeat = product;
    if (k < n && regex.charAt(k) == '?') {
      k++; // non-greedy
    }
    return k;
  }

  /** A run of ASCII digits, saturated past any repetition count. */
  private static long number(String regex, int from, int to) {
    if (to - from > 6) {
      return Integer.MAX_VALUE;
    }
    return Long.parseLong(regex.substring(from, to));
  }

  /** The index after a character class starting at {@code i} (re2j's rules: a leading {@code ]} is a member). */
  private static int classEnd(String regex, int i) {
    int n = regex.length();
    int k = i + 1;
    if (k < n && regex.charAt(k) == '^') {
      k++;
    }
    boolean first = true;
    while (k < n && (first || regex.charAt(k) != ']')) {
      first = false;
      char c = regex.charAt(k);
      if (c == '[' && k + 1 < n && regex.charAt(k + 1) == ':') {
        int close = regex.indexOf(":]", k + 2);
        if (close >= 0) {
          k = close + 2;
          continue;
        }
      }
      k = c == '\\' ? escapeEnd(regex, k) : k + 1;
    }
    return Math.min(n, k + 1);
  }

  /** The index after an escape sequence starting at {@code i} (a backslash). */
  private static int escapeEnd(String regex, int i) {
    int n = regex.length();
    int k = i + 1;
    if (k >= n) {
      return n;
    }
    char c = regex.charAt(k);
    k++;
    if ((c == 'x' || c == 'p' || c == 'P') && k < n && regex.charAt(k) == '{') {
      int close = regex.indexOf('}', k);
      return close < 0 ? n : close + 1;
    }
    if (c == 'x') {
      return Math.min(n, k + 2);
    }
    if (c == 'p' || c == 'P') {
      return Math.min(n, k + 1);
    }
    if (c >= '0' && c <= '7') {
      int digits = 0;
      while (k < n && digits < 2 && regex.charAt(k) >= '0' && regex.charAt(k) <= '7') {
        k++;
        digits++;
      }
    }
    return k;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
