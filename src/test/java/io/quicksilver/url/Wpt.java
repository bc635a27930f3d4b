package io.quicksilver.url;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;



/**
 * The web-platform-tests data of the URL standards, as kept under {@code src/test/resources/wpt}: one JSON value
 * per line, {@code #} lines are comments. Also a tally of outcomes, which the tests compare with what the
 * package documentation states.
 */
final class Wpt {

  private Wpt() {
  }

  /** One case: its line in the data file and its JSON value. */
  record Case(int line, Object value) {
    @Override
    public String toString() {
      String text = String.valueOf(value);
      return "line " + line + ": " + (text.length() > 100 ? text.substring(0, 100) + "…" : text);
    }
  }

  /** What a case came to: passed, skipped or a known failure (with the reason), or failed (with what went wrong). */
  enum Result { PASSED, SKIPPED, KNOWN_FAILURE, FAILED }

  record Outcome(Result result, String reason) {
    static final Outcome PASSED = new Outcome(Result.PASSED, "");

    static Outcome skipped(String reason) {
      return new Outcome(Result.SKIPPED, reason);
    }

    static Outcome failed(String what) {
      return new Outcome(Result.FAILED, what);
    }
  }

  /** The cases of a data file. */
  static List<Case> cases(String resource) {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = Wpt.class.getResourceAsStream("/wpt/" + resource)) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (!lines[i].isBlank() && !lines[i].startsWith("#")) {
          cases.add(new Case(i + 1, new Json(lines[i]).value()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }

  /** Passes, aborts (skipped or known failure: JUnit reports it skipped, with the reason) or fails. */
  static void check(Case c, Outcome outcome) {
    switch (outcome.result()) {
      case PASSED -> {
      }
      case SKIPPED -> Assumptions.abort("skipped: " + outcome.reason());
      case KNOWN_FAILURE -> Assumptions.abort("known failure: " + outcome.reason());
      case FAILED -> fail(c.value() + ": " + outcome.reason());
    }
  }

  /** Asserts that the package documentation states the summary of these outcomes. */
  static void assertDocumented(String name, List<Outcome> outcomes) {
    String summary = summary(name, outcomes);
    String documentation;
    try {
      documentation = Files.readString(Path.of("src/main/java/io/quicksilver/url/package-info.java"))
          .replaceAll("\\s*\\n\\s*\\*\\s*", " "); // comment lines joined
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(documentation.contains(summary), "package-info.java should state: " + summary);
  }

  /**
   * The sentence the package documentation states for a data file's outcomes, e.g. {@code urltestdata: 866
   * cases, 850 passed, 16 skipped (16 Windows drive letters), 0 failed}.
   */
  static String summary(String name, List<Outcome> outcomes) {
    Map<String, Integer> skipped = new TreeMap<>();
    Map<String, Integer> known = new TreeMap<>();
    int passed = 0;
    int failed = 0;
    for (Outcome outcome : outcomes) {
      switch (outcome.result()) {
        case PASSED -> passed++;
        case SKIPPED -> skipped.merge(outcome.reason(), 1, Integer::sum);
        case KNOWN_FAILURE -> known.merge(outcome.reason(), 1, Integer::sum);
        case FAILED -> failed++;
      }
    }
    return name + ": " + outcomes.size() + " cases, " + passed + " passed, " + tally("skipped", skipped) + ", "
        + tally("known failures", known) + ", " + failed + " failed";
  }

  private static String tally(String what, Map<String, Integer> reasons) {
    int total = reasons.values().stream().mapToInt(Integer::intValue).sum();
    StringBuilder sb = new StringBuilder().append(total).append(' ').append(what);
    if (!reasons.isEmpty()) {
      sb.append(" (");
      reasons.forEach((reason, count) -> sb.append(count).append(' ').append(reason).append("; "));
      sb.setLength(sb.length() - 2);
      sb.append(')');
    }
    return sb.toString();
  }

  /** A small JSON reader: objects as maps (in order), arrays as lists, strings, numbers as doubles, booleans, null. */
  static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    Object value() {
      Object value = read();
      skipSpace();
      if (i != s.length()) {
        throw new IllegalArgumentException("trailing text at " + i);
      }
      return value;
    }

    private Object read() {
      skipSpace();
      char c = s.charAt(i);
      switch (c) {
        case '{' -> {
          Map<String, Object> map = new LinkedHashMap<>();
          i++;
          skipSpace();
          if (s.charAt(i) == '}') {
            i++;
            return map;
          }
          while (true) {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            map.put(key, read());
            skipSpace();
            if (s.charAt(i++) == '}') {
              return map;
            }
          }
        }
        case '[' -> {
          List<Object> list = new ArrayList<>();
          i++;
          skipSpace();
          if (s.charAt(i) == ']') {
            i++;
            return list;
          }
          while (true) {
            list.add(read());
            skipSpace();
            if (s.charAt(i++) == ']') {
              return list;
            }
          }
        }
        case '"' -> {
          return string();
        }
        default -> {
          for (String literal : new String[] {"true", "false", "null"}) {
            if (s.startsWith(literal, i)) {
              i += literal.length();
              return literal.equals("null") ? null : Boolean.valueOf(literal);
            }
          }
          int start = i;
          while (i < s.length() && "+-.eE0123456789".indexOf(s.charAt(i)) >= 0) {
            i++;
          }
          return Double.valueOf(s.substring(start, i));
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> sb.append(e);
        }
      }
    }

    private void expect(char c) {
      if (s.charAt(i++) != c) {
        throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
      }
    }

    private void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }
}
