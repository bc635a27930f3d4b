package io.quicksilver.url;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The syntax of the URL Pattern Standard: the tokenizer, the constructor string parser, the pattern string
 * parser, and the translation of a part list to a regular expression, compiled with RE2 (linear-time
 * matching). Section names in comments are those of the standard.
 *
 * <p>The standard compiles to ECMAScript regular expressions with the {@code v} flag; here the generated
 * expressions use the subset both dialects share, and regexp groups written in a pattern are compiled by
 * RE2: what RE2 cannot run in linear time (backreferences, lookaround) is refused. Every expression is
 * compiled by the caller's compiler ({@link UrlPattern#compile}), which can measure it first.
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
  /** The characters RE2 reads as operators outside a class. */
  private static final String METACHARACTERS = "\\.+*?()|[]{}^$";
  /**
   * Longest run of literal characters in a generated expression: re2j's parser copies a run whole at each of
   * its characters (quadratic in the run), so an empty group {@code (?:)} breaks longer runs.
   */
  static final int LITERAL_RUN = 64;

  private UrlPatternParser() {
  }

  static IllegalArgumentException invalid(String reason) {
    return new IllegalArgumentException("invalid URL pattern: " + reason);
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
   * @param compiler compiles the protocol component, which is compiled to tell whether it matches a special scheme
   */
  static Map<Field, String> parseConstructorString(String input, Function<String, Pattern> compiler) {
    return new ConstructorParser(input.codePoints().toArray(), compiler).parse();
  }

  private static final class ConstructorParser {
    private final int[] input;
    private final Function<String, Pattern> compiler;
    private final List<Token> tokens;
    private final Map<Field, String> result = new EnumMap<>(Field.class);
    private int componentStart;
    private int tokenIndex;
    private int tokenIncrement = 1;
    private int groupDepth;
    private int ipv6BracketDepth;
    private boolean protocolMatchesSpecialScheme;
    private State state = State.INIT;

    ConstructorParser(int[] input, Function<String, Pattern> compiler) {
      this.input = input;
      this.compiler = compiler;
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
                UrlPatternParser::protocolEncoding, Options.DEFAULT, compiler));
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
          appendLiteral(result, part.value());
        } else {
          result.append("(?:");
          appendLiteral(result, part.value());
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
    appendLiteral(sb, text);
    return sb.toString();
  }

  /** Appends text as literal characters: RE2's metacharacters escaped, runs broken every {@link #LITERAL_RUN}. */
  private static void appendLiteral(StringBuilder regex, String text) {
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
   * One compiled component: its pattern string, and a matcher. A component that is only fixed text compares
   * strings, a lone {@code *} matches anything, anything else is a regular expression (compiling is what costs:
   * most components of a pattern need none).
   */
  static final class Component {
    private final String patternString;
    private final String fixed;
    private final Pattern regex;
    private final List<String> names;

    private Component(String patternString, String fixed, Pattern regex, List<String> names) {
      this.patternString = patternString;
      this.fixed = fixed;
      this.regex = regex;
      this.names = names;
    }

    /** The standard's component pattern string ("generate a pattern string"). */
    String patternString() {
      return patternString;
    }

    boolean test(String input) {
      if (fixed != null) {
        return fixed.equals(input);
      }
      return regex == null || regex.matches(input);
    }

    /** The groups of a match by name (null for a group that took no part), or null when the input does not match. */
    Map<String, String> exec(String input) {
      if (fixed != null) {
        return fixed.equals(input) ? Map.of() : null;
      }
      Map<String, String> groups = new HashMap<>();
      if (regex == null) {
        groups.put(names.get(0), input);
        return groups;
      }
      Matcher matcher = regex.matcher(input);
      if (!matcher.matches()) {
        return null;
      }
      for (int i = 0; i < names.size(); i++) {
        groups.put(names.get(i), matcher.group(i + 1));
      }
      return groups;
    }
  }

  /**
   * "compile a component".
   *
   * @param compiler compiles the component's regular expression, when it needs one
   * @throws IllegalArgumentException when the component is invalid
   */
  static Component compileComponent(String input, UnaryOperator<String> encoding, Options options,
      Function<String, Pattern> compiler) {
    List<Part> parts = parsePatternString(input, options, encoding);
    String patternString = patternString(parts, options);
    List<String> names = parts.stream().filter(p -> p.type() != PartType.FIXED_TEXT).map(Part::name).toList();
    if (parts.stream().allMatch(p -> p.type() == PartType.FIXED_TEXT && p.modifier().isEmpty())) {
      return new Component(patternString, parts.stream().map(Part::value).collect(Collectors.joining()), null, names);
    }
    if (parts.size() == 1 && parts.get(0).type() == PartType.FULL_WILDCARD && parts.get(0).modifier().isEmpty()
        && parts.get(0).prefix().isEmpty() && parts.get(0).suffix().isEmpty()) {
      return new Component(patternString, null, null, names);
    }
    String regex = regularExpression(parts, options);
    try {
      return new Component(patternString, null, compiler.apply(regex), names);
    } catch (PatternSyntaxException e) {
      throw invalid("a regexp group is not a regular expression RE2 can run in linear time (" + e.getDescription() + ")");
    }
  }

  // ---------------------------------------------------------------- "generate a pattern string"

  /** "generate a pattern string": the normalized pattern string of a part list. */
  static String patternString(List<Part> parts, Options options) {
    StringBuilder result = new StringBuilder();
    for (int index = 0; index < parts.size(); index++) {
      Part part = parts.get(index);
      Part previous = index > 0 ? parts.get(index - 1) : null;
      Part next = index + 1 < parts.size() ? parts.get(index + 1) : null;
      if (part.type() == PartType.FIXED_TEXT) {
        if (part.modifier().isEmpty()) {
          result.append(escapePatternString(part.value()));
        } else {
          result.append('{').append(escapePatternString(part.value())).append('}').append(part.modifier());
        }
        continue;
      }
      boolean customName = !isAsciiDigit(part.name().charAt(0));
      boolean needsGrouping = !part.suffix().isEmpty() || !part.prefix().isEmpty() && !part.prefix().equals(options.prefix());
      if (!needsGrouping && customName && part.type() == PartType.SEGMENT_WILDCARD && part.modifier().isEmpty()
          && next != null && next.prefix().isEmpty() && next.suffix().isEmpty()) {
        needsGrouping = next.type() == PartType.FIXED_TEXT
            ? !next.value().isEmpty() && isNameCodePoint(next.value().codePointAt(0), false)
            : isAsciiDigit(next.name().charAt(0));
      }
      if (!needsGrouping && part.prefix().isEmpty() && previous != null && previous.type() == PartType.FIXED_TEXT
          && !previous.value().isEmpty() && !options.prefix().isEmpty()
          && previous.value().endsWith(options.prefix())) {
        needsGrouping = true;
      }
      if (needsGrouping) {
        result.append('{');
      }
      result.append(escapePatternString(part.prefix()));
      if (customName) {
        result.append(':').append(part.name());
      }
      if (part.type() == PartType.REGEXP) {
        result.append('(').append(part.value()).append(')');
      } else if (part.type() == PartType.SEGMENT_WILDCARD && !customName) {
        result.append('(').append(segmentWildcardRegexp(options)).append(')');
      } else if (part.type() == PartType.FULL_WILDCARD) {
        if (!customName && (previous == null || previous.type() == PartType.FIXED_TEXT || !previous.modifier().isEmpty()
            || needsGrouping || !part.prefix().isEmpty())) {
          result.append('*');
        } else {
          result.append('(').append(FULL_WILDCARD).append(')');
        }
      }
      if (part.type() == PartType.SEGMENT_WILDCARD && customName && !part.suffix().isEmpty()
          && isNameCodePoint(part.suffix().codePointAt(0), false)) {
        result.append('\\');
      }
      result.append(escapePatternString(part.suffix()));
      if (needsGrouping) {
        result.append('}');
      }
      result.append(part.modifier());
    }
    return result.toString();
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** "protocol component matches a special scheme". */
  static boolean matchesSpecialScheme(Component protocol) {
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
