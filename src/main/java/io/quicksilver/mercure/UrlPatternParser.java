package io.quicksilver.mercure;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The syntax of the URL Pattern Standard: the tokenizer, the constructor string parser, the pattern string
 * parser, and the translation of a part list to a regular expression, compiled with RE2 (linear-time
 * matching). Section names in comments are those of the standard.
 *
 * <p>The standard compiles to ECMAScript regular expressions with the {@code v} flag; here the generated
 * expressions use the subset both dialects share, and regexp groups written in a pattern are compiled by
 * RE2: what RE2 cannot run in linear time (backreferences, lookaround) is refused.
 */
final class UrlPatternParser {

  /** The components of a URL pattern, in URL order. */
  enum Field { PROTOCOL, USERNAME, PASSWORD, HOSTNAME, PORT, PATHNAME, SEARCH, HASH }

  /** "options": the segment delimiter and automatic prefix code points (empty or one ASCII character). */
  record Options(String delimiter, String prefix) {
    static final Options DEFAULT = new Options("", "");
    static final Options HOSTNAME = new Options(".", "");
    static final Options PATHNAME = new Options("/", "/");
  }

  private static final String FULL_WILDCARD = ".*";

  private UrlPatternParser() {
  }

  static ProtocolException invalid(String reason) {
    return ProtocolException.badRequest("invalid URL pattern: " + reason);
  }

  // ---------------------------------------------------------------- tokens ("Tokenizing")

  enum TokenType { OPEN, CLOSE, REGEXP, NAME, CHAR, ESCAPED_CHAR, OTHER_MODIFIER, ASTERISK, END, INVALID_CHAR }

  /** A token; {@code index} counts code points. */
  record Token(TokenType type, int index, String value) {
  }

  static List<Token> tokenize(int[] in, boolean strict) {
    List<Token> tokens = new ArrayList<>();
    int index = 0;
    while (index < in.length) {
      int cp = in[index];
      int next = index + 1;
      TokenType simple = switch (cp) {
        case '*' -> TokenType.ASTERISK;
        case '+', '?' -> TokenType.OTHER_MODIFIER;
        case '{' -> TokenType.OPEN;
        case '}' -> TokenType.CLOSE;
        default -> null;
      };
      if (simple != null) {
        tokens.add(new Token(simple, index, text(in, index, next)));
        index = next;
      } else if (cp == '\\') {
        if (next == in.length) {
          index = tokenError(tokens, in, strict, index, next, index, "a trailing backslash");
        } else {
          tokens.add(new Token(TokenType.ESCAPED_CHAR, index, text(in, next, next + 1)));
          index = next + 1;
        }
      } else if (cp == ':') {
        int end = next;
        while (end < in.length && isNameCodePoint(in[end], end == next)) {
          end++;
        }
        if (end == next) {
          index = tokenError(tokens, in, strict, index, next, index, "a \":\" without a name");
        } else {
          tokens.add(new Token(TokenType.NAME, index, text(in, next, end)));
          index = end;
        }
      } else if (cp == '(') {
        index = regexpToken(tokens, in, strict, index);
      } else {
        tokens.add(new Token(TokenType.CHAR, index, text(in, index, next)));
        index = next;
      }
    }
    tokens.add(new Token(TokenType.END, in.length, ""));
    return tokens;
  }

  /** A "(...)" group; returns the index after it (or after the invalid character, when lenient). */
  private static int regexpToken(List<Token> tokens, int[] in, boolean strict, int index) {
    int start = index + 1;
    int depth = 1;
    int pos = start;
    while (pos < in.length) {
      int cp = in[pos];
      if (cp > 0x7F) {
        return tokenError(tokens, in, strict, index, start, index, "a non-ASCII character in a regexp group");
      }
      if (pos == start && cp == '?') {
        return tokenError(tokens, in, strict, index, start, index, "a regexp group starting with \"?\"");
      }
      if (cp == '\\') {
        if (pos == in.length - 1 || in[pos + 1] > 0x7F) {
          return tokenError(tokens, in, strict, index, start, index, "an invalid escape in a regexp group");
        }
        pos += 2;
        continue;
      }
      if (cp == ')') {
        if (--depth == 0) {
          pos++;
          break;
        }
      } else if (cp == '(') {
        depth++;
        if (pos == in.length - 1 || in[pos + 1] != '?') {
          return tokenError(tokens, in, strict, index, start, index, "a capturing group inside a regexp group");
        }
      }
      pos++;
    }
    if (depth != 0) {
      return tokenError(tokens, in, strict, index, start, index, "an unbalanced regexp group");
    }
    if (pos - start - 1 == 0) {
      return tokenError(tokens, in, strict, index, start, index, "an empty regexp group");
    }
    tokens.add(new Token(TokenType.REGEXP, index, text(in, start, pos - 1)));
    return pos;
  }

  /** "process a tokenizing error": refuses (strict) or records an invalid-char token (lenient). */
  private static int tokenError(List<Token> tokens, int[] in, boolean strict, int index, int next, int valueStart,
      String what) {
    if (strict) {
      throw invalid(what);
    }
    tokens.add(new Token(TokenType.INVALID_CHAR, index, text(in, valueStart, next)));
    return next;
  }

  /** "is a valid name code point": ECMAScript IdentifierStart / IdentifierPart. */
  static boolean isNameCodePoint(int cp, boolean first) {
    if (cp == '$' || cp == '_') {
      return true;
    }
    if (first) {
      return Character.isUnicodeIdentifierStart(cp) && !Character.isIdentifierIgnorable(cp);
    }
    return cp == 0x200C || cp == 0x200D || Character.isUnicodeIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp);
  }

  private static String text(int[] in, int from, int to) {
    return new String(in, from, Math.max(0, to - from));
  }

  // ---------------------------------------------------------------- "Constructor string parsing"

  private enum State {
    INIT(null), PROTOCOL(Field.PROTOCOL), AUTHORITY(null), USERNAME(Field.USERNAME), PASSWORD(Field.PASSWORD),
    HOSTNAME(Field.HOSTNAME), PORT(Field.PORT), PATHNAME(Field.PATHNAME), SEARCH(Field.SEARCH), HASH(Field.HASH),
    DONE(null);

    final Field field;

    State(Field field) {
      this.field = field;
    }
  }

  /**
   * "parse a constructor string": the pattern string of each component the string gives.
   *
   * @param budget charged for the protocol component, which is compiled to tell whether it matches a special scheme
   */
  static Map<Field, String> parseConstructorString(String input, CompileBudget budget) {
    return new ConstructorParser(input.codePoints().toArray(), budget).parse();
  }

  private static final class ConstructorParser {
    private final int[] input;
    private final CompileBudget budget;
    private final List<Token> tokens;
    private final Map<Field, String> result = new EnumMap<>(Field.class);
    private int componentStart;
    private int tokenIndex;
    private int tokenIncrement = 1;
    private int groupDepth;
    private int ipv6BracketDepth;
    private boolean protocolMatchesSpecialScheme;
    private State state = State.INIT;

    ConstructorParser(int[] input, CompileBudget budget) {
      this.input = input;
      this.budget = budget;
      this.tokens = tokenize(input, false);
    }

    Map<Field, String> parse() {
      while (tokenIndex < tokens.size()) {
        tokenIncrement = 1;
        if (tokens.get(tokenIndex).type() == TokenType.END) {
          if (state == State.INIT) {
            rewind();
            if (isHashPrefix()) {
              changeState(State.HASH, 1);
            } else if (isSearchPrefix()) {
              changeState(State.SEARCH, 1);
            } else {
              changeState(State.PATHNAME, 0);
            }
            tokenIndex += tokenIncrement;
            continue;
          }
          if (state == State.AUTHORITY) {
            rewindAndSetState(State.HOSTNAME);
            tokenIndex += tokenIncrement;
            continue;
          }
          changeState(State.DONE, 0);
          break;
        }
        if (tokens.get(tokenIndex).type() == TokenType.OPEN) {
          groupDepth++;
          tokenIndex += tokenIncrement;
          continue;
        }
        if (groupDepth > 0) {
          if (tokens.get(tokenIndex).type() == TokenType.CLOSE) {
            groupDepth--;
          } else {
            tokenIndex += tokenIncrement;
            continue;
          }
        }
        step();
        tokenIndex += tokenIncrement;
      }
      if (result.containsKey(Field.HOSTNAME) && !result.containsKey(Field.PORT)) {
        result.put(Field.PORT, "");
      }
      return result;
    }

    private void step() {
      switch (state) {
        case INIT -> {
          if (isNonSpecialPatternChar(tokenIndex, ":")) {
            rewindAndSetState(State.PROTOCOL);
          }
        }
        case PROTOCOL -> {
          if (isNonSpecialPatternChar(tokenIndex, ":")) {
            protocolMatchesSpecialScheme = matchesSpecialScheme(compileComponent(makeComponentString(),
                UrlPatternParser::protocolEncoding, Options.DEFAULT, budget));
            if (isNonSpecialPatternChar(tokenIndex + 1, "/") && isNonSpecialPatternChar(tokenIndex + 2, "/")) {
              changeState(State.AUTHORITY, 3);
            } else {
              changeState(protocolMatchesSpecialScheme ? State.AUTHORITY : State.PATHNAME, 1);
            }
          }
        }
        case AUTHORITY -> {
          if (isNonSpecialPatternChar(tokenIndex, "@")) {
            rewindAndSetState(State.USERNAME);
          } else if (isNonSpecialPatternChar(tokenIndex, "/") || isSearchPrefix() || isHashPrefix()) {
            rewindAndSetState(State.HOSTNAME);
          }
        }
        case USERNAME -> {
          if (isNonSpecialPatternChar(tokenIndex, ":")) {
            changeState(State.PASSWORD, 1);
          } else if (isNonSpecialPatternChar(tokenIndex, "@")) {
            changeState(State.HOSTNAME, 1);
          }
        }
        case PASSWORD -> {
          if (isNonSpecialPatternChar(tokenIndex, "@")) {
            changeState(State.HOSTNAME, 1);
          }
        }
        case HOSTNAME -> {
          if (isNonSpecialPatternChar(tokenIndex, "[")) {
            ipv6BracketDepth++;
          } else if (isNonSpecialPatternChar(tokenIndex, "]")) {
            ipv6BracketDepth--;
          } else if (isNonSpecialPatternChar(tokenIndex, ":") && ipv6BracketDepth == 0) {
            changeState(State.PORT, 1);
          } else {
            afterAuthority();
          }
        }
        case PORT -> afterAuthority();
        case PATHNAME -> {
          if (isSearchPrefix()) {
            changeState(State.SEARCH, 1);
          } else if (isHashPrefix()) {
            changeState(State.HASH, 1);
          }
        }
        case SEARCH -> {
          if (isHashPrefix()) {
            changeState(State.HASH, 1);
          }
        }
        default -> {
          // hash: the rest of the input belongs to it
        }
      }
    }

    /** The hostname and port states' shared transitions to the pathname, search or hash. */
    private void afterAuthority() {
      if (isNonSpecialPatternChar(tokenIndex, "/")) {
        changeState(State.PATHNAME, 0);
      } else if (isSearchPrefix()) {
        changeState(State.SEARCH, 1);
      } else if (isHashPrefix()) {
        changeState(State.HASH, 1);
      }
    }

    private void changeState(State newState, int skip) {
      if (state.field != null) {
        result.put(state.field, makeComponentString());
      }
      if (state != State.INIT && newState != State.DONE) {
        boolean beforeHost = state == State.PROTOCOL || state == State.AUTHORITY || state == State.USERNAME
            || state == State.PASSWORD;
        boolean beforePath = beforeHost || state == State.HOSTNAME || state == State.PORT;
        if (beforeHost && newState.compareTo(State.PORT) >= 0) {
          result.putIfAbsent(Field.HOSTNAME, "");
        }
        if (beforePath && (newState == State.SEARCH || newState == State.HASH)) {
          result.putIfAbsent(Field.PATHNAME, protocolMatchesSpecialScheme ? "/" : "");
        }
        if ((beforePath || state == State.PATHNAME) && newState == State.HASH) {
          result.putIfAbsent(Field.SEARCH, "");
        }
      }
      state = newState;
      tokenIndex += skip;
      componentStart = tokenIndex;
      tokenIncrement = 0;
    }

    private void rewind() {
      tokenIndex = componentStart;
      tokenIncrement = 0;
    }

    private void rewindAndSetState(State newState) {
      rewind();
      state = newState;
    }

    private Token safeToken(int index) {
      return index < tokens.size() ? tokens.get(index) : tokens.get(tokens.size() - 1);
    }

    private boolean isNonSpecialPatternChar(int index, String value) {
      Token token = safeToken(index);
      return token.value().equals(value) && (token.type() == TokenType.CHAR || token.type() == TokenType.ESCAPED_CHAR
          || token.type() == TokenType.INVALID_CHAR);
    }

    private boolean isSearchPrefix() {
      if (isNonSpecialPatternChar(tokenIndex, "?")) {
        return true;
      }
      if (!tokens.get(tokenIndex).value().equals("?")) {
        return false;
      }
      if (tokenIndex == 0) {
        return true;
      }
      TokenType previous = safeToken(tokenIndex - 1).type();
      return previous != TokenType.NAME && previous != TokenType.REGEXP && previous != TokenType.CLOSE
          && previous != TokenType.ASTERISK;
    }

    private boolean isHashPrefix() {
      return isNonSpecialPatternChar(tokenIndex, "#");
    }

    private String makeComponentString() {
      int start = safeToken(componentStart).index();
      int end = tokens.get(tokenIndex).index();
      return text(input, start, end);
    }
  }

  // ---------------------------------------------------------------- parts ("Parsing")

  enum PartType { FIXED_TEXT, REGEXP, SEGMENT_WILDCARD, FULL_WILDCARD }

  /** A part; the modifier is "", "?", "*" or "+". */
  record Part(PartType type, String value, String modifier, String name, String prefix, String suffix) {
  }

  /** "parse a pattern string". */
  static List<Part> parsePatternString(String input, Options options, UnaryOperator<String> encoding) {
    return new PatternParser(tokenize(input.codePoints().toArray(), true), options, encoding).parse();
  }

  private static final class PatternParser {
    private final List<Token> tokens;
    private final Options options;
    private final UnaryOperator<String> encoding;
    private final String segmentWildcard;
    private final List<Part> parts = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final StringBuilder pendingFixed = new StringBuilder();
    private int index;
    private int nextNumericName;

    PatternParser(List<Token> tokens, Options options, UnaryOperator<String> encoding) {
      this.tokens = tokens;
      this.options = options;
      this.encoding = encoding;
      this.segmentWildcard = segmentWildcardRegexp(options);
    }

    List<Part> parse() {
      while (index < tokens.size()) {
        Token charToken = tryConsume(TokenType.CHAR);
        Token nameToken = tryConsume(TokenType.NAME);
        Token regexpOrWildcard = tryConsumeRegexpOrWildcard(nameToken);
        if (nameToken != null || regexpOrWildcard != null) {
          String prefix = charToken == null ? "" : charToken.value();
          if (!prefix.isEmpty() && !prefix.equals(options.prefix())) {
            pendingFixed.append(prefix);
            prefix = "";
          }
          addPendingFixed();
          addPart(prefix, nameToken, regexpOrWildcard, "", tryConsumeModifier());
          continue;
        }
        Token fixed = charToken != null ? charToken : tryConsume(TokenType.ESCAPED_CHAR);
        if (fixed != null) {
          pendingFixed.append(fixed.value());
          continue;
        }
        if (tryConsume(TokenType.OPEN) != null) {
          String prefix = consumeText();
          nameToken = tryConsume(TokenType.NAME);
          regexpOrWildcard = tryConsumeRegexpOrWildcard(nameToken);
          String suffix = consumeText();
          consumeRequired(TokenType.CLOSE);
          addPart(prefix, nameToken, regexpOrWildcard, suffix, tryConsumeModifier());
          continue;
        }
        addPendingFixed();
        consumeRequired(TokenType.END);
      }
      return parts;
    }

    private Token tryConsume(TokenType type) {
      Token next = tokens.get(index);
      if (next.type() != type) {
        return null;
      }
      index++;
      return next;
    }

    private Token tryConsumeModifier() {
      Token token = tryConsume(TokenType.OTHER_MODIFIER);
      return token != null ? token : tryConsume(TokenType.ASTERISK);
    }

    private Token tryConsumeRegexpOrWildcard(Token nameToken) {
      Token token = tryConsume(TokenType.REGEXP);
      return token == null && nameToken == null ? tryConsume(TokenType.ASTERISK) : token;
    }

    private void consumeRequired(TokenType type) {
      if (tryConsume(type) == null) {
        Token found = tokens.get(index);
        throw invalid(found.type() == TokenType.END ? "unexpected end (unbalanced \"{\"?)"
            : "unexpected \"" + found.value() + "\" at " + found.index());
      }
    }

    private String consumeText() {
      StringBuilder sb = new StringBuilder();
      while (true) {
        Token token = tryConsume(TokenType.CHAR);
        if (token == null) {
          token = tryConsume(TokenType.ESCAPED_CHAR);
        }
        if (token == null) {
          return sb.toString();
        }
        sb.append(token.value());
      }
    }

    private String encode(String value) {
      String encoded = encoding.apply(value);
      if (encoded == null) {
        throw invalid("\"" + value + "\" is not valid in its component");
      }
      return encoded;
    }

    private void addPendingFixed() {
      if (pendingFixed.length() == 0) {
        return;
      }
      String encoded = encode(pendingFixed.toString());
      pendingFixed.setLength(0);
      parts.add(new Part(PartType.FIXED_TEXT, encoded, "", "", "", ""));
    }

    private void addPart(String prefix, Token nameToken, Token regexpOrWildcard, String suffix, Token modifierToken) {
      String modifier = modifierToken == null ? "" : modifierToken.value();
      if (nameToken == null && regexpOrWildcard == null && modifier.isEmpty()) {
        pendingFixed.append(prefix);
        return;
      }
      addPendingFixed();
      if (nameToken == null && regexpOrWildcard == null) {
        if (!prefix.isEmpty()) {
          parts.add(new Part(PartType.FIXED_TEXT, encode(prefix), modifier, "", "", ""));
        }
        return;
      }
      String regexpValue;
      if (regexpOrWildcard == null) {
        regexpValue = segmentWildcard;
      } else if (regexpOrWildcard.type() == TokenType.ASTERISK) {
        regexpValue = FULL_WILDCARD;
      } else {
        regexpValue = regexpOrWildcard.value();
      }
      PartType type = PartType.REGEXP;
      if (regexpValue.equals(segmentWildcard)) {
        type = PartType.SEGMENT_WILDCARD;
        regexpValue = "";
      } else if (regexpValue.equals(FULL_WILDCARD)) {
        type = PartType.FULL_WILDCARD;
        regexpValue = "";
      }
      String name = nameToken != null ? nameToken.value() : String.valueOf(nextNumericName++);
      if (!names.add(name)) {
        throw invalid("duplicate group name \"" + name + "\"");
      }
      parts.add(new Part(type, regexpValue, modifier, name, encode(prefix), encode(suffix)));
    }
  }

  /** "generate a segment wildcard regexp", in the standard's spelling (used to recognize equivalent groups). */
  private static String segmentWildcardRegexp(Options options) {
    return "[^" + escapeRegexp(options.delimiter()) + "]+?";
  }

  /** The segment wildcard as RE2 reads it: ECMAScript's {@code [^]} (any character) has no RE2 spelling. */
  private static String segmentWildcardRe2(Options options) {
    return options.delimiter().isEmpty() ? "(?s:.)+?" : segmentWildcardRegexp(options);
  }

  // ---------------------------------------------------------------- "Converting part lists to regular expressions"

  /** "generate a regular expression and name list" (the names are not needed to test a match). */
  static String regularExpression(List<Part> parts, Options options) {
    StringBuilder result = new StringBuilder("^");
    for (Part part : parts) {
      if (part.type() == PartType.FIXED_TEXT) {
        if (part.modifier().isEmpty()) {
          RegexCost.appendLiteral(result, part.value());
        } else {
          result.append("(?:");
          RegexCost.appendLiteral(result, part.value());
          result.append(')').append(part.modifier());
        }
        continue;
      }
      String regexp = switch (part.type()) {
        case SEGMENT_WILDCARD -> segmentWildcardRe2(options);
        case FULL_WILDCARD -> FULL_WILDCARD;
        default -> part.value();
      };
      boolean repeating = part.modifier().equals("*") || part.modifier().equals("+");
      if (part.prefix().isEmpty() && part.suffix().isEmpty()) {
        if (repeating) {
          result.append("((?:").append(regexp).append(')').append(part.modifier()).append(')');
        } else {
          result.append('(').append(regexp).append(')').append(part.modifier());
        }
        continue;
      }
      String prefix = literal(part.prefix());
      String suffix = literal(part.suffix());
      if (!repeating) {
        result.append("(?:").append(prefix).append('(').append(regexp).append(')').append(suffix).append(')')
            .append(part.modifier());
        continue;
      }
      result.append("(?:").append(prefix).append("((?:").append(regexp).append(")(?:").append(suffix).append(prefix)
          .append("(?:").append(regexp).append("))*)").append(suffix).append(')');
      if (part.modifier().equals("*")) {
        result.append('?');
      }
    }
    return result.append('$').toString();
  }

  /** Text as literal characters of an RE2 expression (what "escape a regexp string" does for ECMAScript). */
  private static String literal(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 8);
    RegexCost.appendLiteral(sb, text);
    return sb.toString();
  }

  /** "escape a regexp string". */
  static String escapeRegexp(String input) {
    return backslashEscape(input, ".+*?^${}()[]|/\\");
  }

  /** "escape a pattern string". */
  static String escapePatternString(String input) {
    return backslashEscape(input, "+*?:{}()\\");
  }

  private static String backslashEscape(String input, String special) {
    StringBuilder sb = new StringBuilder(input.length());
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (special.indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- "compile a component"

  /**
   * Compiles one component's pattern string to a matcher: a component that is only fixed text compares strings,
   * a lone {@code *} matches anything, anything else is an RE2 pattern whose cost is charged to the budget first
   * (compiling is what costs: most components of a pattern need none).
   *
   * @throws ProtocolException 400 when the component is invalid, or {@code invalid_request} when it does not fit the budget
   */
  static Predicate<String> compileComponent(String input, UnaryOperator<String> encoding, Options options, CompileBudget budget) {
    List<Part> parts = parsePatternString(input, options, encoding);
    if (parts.stream().allMatch(p -> p.type() == PartType.FIXED_TEXT && p.modifier().isEmpty())) {
      String fixed = parts.stream().map(Part::value).collect(Collectors.joining());
      return fixed::equals;
    }
    if (parts.size() == 1 && parts.get(0).type() == PartType.FULL_WILDCARD && parts.get(0).modifier().isEmpty()
        && parts.get(0).prefix().isEmpty() && parts.get(0).suffix().isEmpty()) {
      return any -> true;
    }
    String regex = regularExpression(parts, options);
    budget.charge(RegexCost.instructions(regex, budget.remaining(), "URL pattern"), "URL pattern");
    try {
      Pattern pattern = Pattern.compile(regex);
      return pattern::matches;
    } catch (PatternSyntaxException e) {
      throw invalid("a regexp group is not a regular expression RE2 can run in linear time (" + e.getDescription() + ")");
    }
  }

  /** "protocol component matches a special scheme". */
  static boolean matchesSpecialScheme(Predicate<String> protocol) {
    for (String scheme : WhatwgUrl.specialSchemes()) {
      if (protocol.test(scheme)) {
        return true;
      }
    }
    return false;
  }

  /** "canonicalize a protocol" as an encoding callback. */
  static String protocolEncoding(String value) {
    return WhatwgUrl.canonicalProtocol(value);
  }

  /** "hostname pattern is an IPv6 address". */
  static boolean isIpv6Hostname(String input) {
    if (input.codePointCount(0, input.length()) < 2) {
      return false;
    }
    char c0 = input.charAt(0);
    char c1 = input.charAt(1);
    return c0 == '[' || (c0 == '{' || c0 == '\\') && c1 == '[';
  }
}
