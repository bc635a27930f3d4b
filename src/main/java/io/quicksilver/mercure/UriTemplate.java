package io.quicksilver.mercure;

import com.google.re2j.Pattern;

/**
 * An RFC 6570 URI Template compiled to a linear-time (RE2) pattern that matches every string the
 * template can expand to.
 *
 * <p>Matching is deliberately by the shape of possible expansions (levels 1–4: operators
 * {@code + # . / ; ? &}, lists, explode and prefix modifiers), anchored at both ends. Variable values
 * of a simple expansion can hold unreserved characters and percent-encoded octets; {@code +} and
 * {@code #} expansions can also hold reserved characters. RE2 guarantees matching time linear in the
 * input, so no template, however adversarial, can stall the caller.
 */
public final class UriTemplate {

  private static final String PCT = "%[0-9A-Fa-f]{2}";
  private static final String UNRESERVED = "A-Za-z0-9\\-._~";
  private static final String RESERVED = ":/?#\\[\\]@!$&'()*+,;=";
  /** A value of a simple expansion. */
  private static final String U = "(?:[" + UNRESERVED + "]|" + PCT + ")";
  /** A value that may hold reserved characters. */
  private static final String R = "(?:[" + UNRESERVED + RESERVED + "]|" + PCT + ")";
  /** Unreserved plus the list separator and the name/value separator. */
  private static final String UL = "(?:[" + UNRESERVED + ",=]|" + PCT + ")";

  /** A {@code /} expression with more variables than this matches any number of segments (keeps programs small). */
  private static final int MAX_COUNTED_SEGMENTS = 100;

  private final String template;
  private final Pattern pattern;
  private final long instructions;

  private UriTemplate(String template, Pattern pattern, long instructions) {
    this.template = template;
    this.pattern = pattern;
    this.instructions = instructions;
  }

  /** The size of the compiled program, in instructions (what it cost to compile, and costs per matched character). */
  public long instructions() {
    return instructions;
  }

  /**
   * Compiles a template within a budget, measured before anything is compiled; null when the string is not a valid
   * URI Template (or holds no expression: then it is an ordinary string and only exact comparison applies).
   *
   * @throws ProtocolException 400 {@code invalid_request} when the template does not fit the budget
   */
  public static UriTemplate compile(String template, CompileBudget budget) {
    if (template.indexOf('{') < 0 && template.indexOf('}') < 0) {
      return null;
    }
    StringBuilder regex = new StringBuilder(template.length() * 2);
    StringBuilder literal = new StringBuilder();
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c == '{') {
        RegexCost.appendLiteral(regex, literal);
        literal.setLength(0);
        int end = template.indexOf('}', i + 1);
        if (end < 0) {
          return null;
        }
        String expr = template.substring(i + 1, end);
        String part = expression(expr);
        if (part == null) {
          return null;
        }
        regex.append(part);
        i = end + 1;
      } else if (c == '}') {
        return null;
      } else {
        if (!literalAllowed(c)) {
          return null;
        }
        if (c == '%') {
          if (i + 2 >= n || !isHex(template.charAt(i + 1)) || !isHex(template.charAt(i + 2))) {
            return null;
          }
        }
        literal.append(c);
        i++;
      }
    }
    RegexCost.appendLiteral(regex, literal);
    String source = regex.toString();
    long size = RegexCost.instructions(source, budget.remaining(), "URI template");
    budget.charge(size, "URI template");
    return new UriTemplate(template, Pattern.compile(source), size);
  }

  /** Whether the whole string is a possible expansion of this template. */
  public boolean matches(String candidate) {
    return pattern.matches(candidate);
  }

  private static String expression(String expr) {
    if (expr.isEmpty()) {
      return null;
    }
    char op = expr.charAt(0);
    String vars;
    if ("+#./;?&".indexOf(op) >= 0) {
      vars = expr.substring(1);
    } else if ("=,!@|".indexOf(op) >= 0) {
      return null; // reserved for future extensions: not a valid template
    } else {
      op = 0;
      vars = expr;
    }
    if (!validVarList(vars)) {
      return null;
    }
    // An exploded associative array expands to name=value pairs (RFC 6570 3.2.2: {keys*} -> semi=%3B,dot=.)
    String sep = vars.indexOf('*') >= 0 ? "|[,=]" : "|,";
    return switch (op) {
      case 0 -> "(?:" + U + sep + ")*";
      case '+' -> R + "*";
      case '#' -> "(?:#" + R + "*)?";
      case '.' -> "(?:\\." + "(?:" + U + sep + ")*)*";
      // a value cannot hold "/" (it is percent-encoded), so without explode each variable yields at most one segment
      case '/' -> "(?:/" + "(?:" + U + sep + ")*)" + segments(vars);
      case ';' -> "(?:;" + UL + "*)*";
      case '?' -> "(?:\\?" + UL + "*(?:&" + UL + "*)*)?";
      case '&' -> "(?:&" + UL + "*)*";
      default -> null;
    };
  }

  /** How many path segments a {@code /} expression can expand to: one per variable, any number with explode. */
  private static String segments(String vars) {
    int count = vars.split(",", -1).length;
    return vars.indexOf('*') >= 0 || count > MAX_COUNTED_SEGMENTS ? "*" : "{0," + count + "}";
  }

  private static boolean validVarList(String vars) {
    if (vars.isEmpty()) {
      return false;
    }
    for (String spec : vars.split(",", -1)) {
      String name = spec;
      if (name.endsWith("*")) {
        name = name.substring(0, name.length() - 1);
      } else {
        int colon = name.indexOf(':');
        if (colon >= 0) {
          String len = name.substring(colon + 1);
          if (len.isEmpty() || len.length() > 4 || len.charAt(0) == '0' || !len.chars().allMatch(UriTemplate::isDigit)) {
            return false;
          }
          name = name.substring(0, colon);
        }
      }
      if (!validVarName(name)) {
        return false;
      }
    }
    return true;
  }

  private static boolean validVarName(String name) {
    if (name.isEmpty() || name.charAt(0) == '.' || name.charAt(name.length() - 1) == '.') {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%') {
        if (i + 2 >= name.length() || !isHex(name.charAt(i + 1)) || !isHex(name.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (!(isAlpha(c) || isDigit(c) || c == '_' || c == '.')) {
        return false;
      } else if (c == '.' && name.charAt(i - 1) == '.') {
        return false;
      }
    }
    return true;
  }

  /** RFC 6570 section 2.1: any Unicode character except CTL, SP, {@code " ' % < > \ ^ ` { | }}; % only as pct-encoded. */
  private static boolean literalAllowed(char c) {
    if (c <= 0x20 || c == 0x7F) {
      return false;
    }
    return "\"'<>\\^`{|}".indexOf(c) < 0;
  }

  private static boolean isAlpha(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  @Override
  public String toString() {
    return template;
  }
}
