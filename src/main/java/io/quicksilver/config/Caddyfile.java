package io.quicksilver.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the Caddyfile fragments the reference hub's environment variables hold ({@code MERCURE_EXTRA_DIRECTIVES},
 * {@code GLOBAL_OPTIONS}): one directive per line, its arguments separated by spaces, {@code "quoted"} or
 * {@code `raw`} arguments, {@code #} comments, and {@code name args {} ... {@code }} blocks. Environment
 * references are replaced as Caddy does: {@code {$NAME}} and {@code {$NAME:default}} before reading,
 * {@code {env.NAME}} in arguments.
 */
final class Caddyfile {

  /**
   * One directive.
   *
   * @param name  its first token
   * @param args  the other tokens of its line
   * @param block the directives of its {@code { ... }} block (empty without one)
   * @param line  its line number in the fragment, from 1
   */
  record Directive(String name, List<String> args, List<Directive> block, int line) {
    Directive {
      args = List.copyOf(args);
      block = List.copyOf(block);
    }
  }

  private record Token(String text, int line, boolean quoted) {
  }

  private Caddyfile() {
  }

  /**
   * Parses a fragment.
   *
   * @param source the variable it came from, for messages
   * @throws ConfigException on unbalanced quotes or braces
   */
  static List<Directive> parse(String text, String source, Map<String, String> env) {
    List<List<Token>> lines = lines(substitute(text, env), source);
    List<Directive> out = new ArrayList<>();
    int end = block(lines, 0, out, source, env, false);
    if (end != lines.size()) {
      throw new ConfigException(source + " line " + lines.get(end).get(0).line() + ": unexpected \"}\"");
    }
    return out;
  }

  /** Reads directives from {@code lines[from]} until a closing brace (when {@code nested}) or the end; returns the next index. */
  private static int block(List<List<Token>> lines, int from, List<Directive> out, String source, Map<String, String> env, boolean nested) {
    int i = from;
    while (i < lines.size()) {
      List<Token> line = lines.get(i);
      Token first = line.get(0);
      if (!first.quoted() && first.text().equals("}")) {
        if (!nested || line.size() > 1) {
          throw new ConfigException(source + " line " + first.line() + ": unexpected \"}\"");
        }
        return i;
      }
      Token last = line.get(line.size() - 1);
      boolean opens = line.size() > 1 && !last.quoted() && last.text().equals("{");
      List<String> args = new ArrayList<>();
      for (Token t : line.subList(1, opens ? line.size() - 1 : line.size())) {
        args.add(placeholders(t.text(), env));
      }
      List<Directive> children = new ArrayList<>();
      i++;
      if (opens) {
        i = block(lines, i, children, source, env, true);
        if (i == lines.size()) {
          throw new ConfigException(source + " line " + first.line() + ": the block of \"" + first.text() + "\" is not closed");
        }
        i++; // the closing brace
      }
      out.add(new Directive(first.text(), args, children, first.line()));
    }
    if (nested) {
      return lines.size();
    }
    return i;
  }

  /** Splits the text into lines of tokens (a quoted token may span lines); drops comments and empty lines. */
  private static List<List<Token>> lines(String text, String source) {
    List<List<Token>> lines = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    int line = 1;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\n') {
        if (!current.isEmpty()) {
          lines.add(current);
          current = new ArrayList<>();
        }
        line++;
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"' || c == '`') {
        int start = line;
        StringBuilder token = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new ConfigException(source + " line " + start + ": unterminated " + (c == '"' ? "quoted" : "raw") + " argument");
          }
          char d = text.charAt(i);
          if (d == c) {
            i++;
            break;
          }
          if (c == '"' && d == '\\' && i + 1 < n && text.charAt(i + 1) == '"') {
            token.append('"');
            i += 2;
            continue;
          }
          if (d == '\n') {
            line++;
          }
          token.append(d);
          i++;
        }
        current.add(new Token(token.toString(), start, true));
      } else {
        int start = i;
        while (i < n && !Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        current.add(new Token(text.substring(start, i), line, false));
      }
    }
    if (!current.isEmpty()) {
      lines.add(current);
    }
    return lines;
  }

  /** {@code {$NAME}} and {@code {$NAME:default}}: replaced in the whole text before it is read, as Caddy does. */
  private static String substitute(String text, Map<String, String> env) {
    return expand(text, "{$", ref -> {
      int colon = ref.indexOf(':');
      String value = env.get(colon < 0 ? ref : ref.substring(0, colon));
      return value != null && !value.isEmpty() ? value : colon < 0 ? "" : ref.substring(colon + 1);
    });
  }

  /** {@code {env.NAME}} inside an argument: the variable's value (empty when unset), as Caddy's placeholders. */
  private static String placeholders(String arg, Map<String, String> env) {
    return expand(arg, "{env.", name -> env.getOrDefault(name, ""));
  }

  /** Replaces each {@code <opener>REF}} in the text by {@code value(REF)}. */
  private static String expand(String text, String opener, Function<String, String> value) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf(opener, i);
      int close = open < 0 ? -1 : text.indexOf('}', open);
      if (open < 0 || close < 0) {
        out.append(text, i, text.length());
        break;
      }
      out.append(text, i, open).append(value.apply(text.substring(open + opener.length(), close)));
      i = close + 1;
    }
    return out.toString();
  }
}
