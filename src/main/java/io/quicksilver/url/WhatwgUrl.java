package io.quicksilver.url;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A URL parsed the way the WHATWG URL Standard's basic URL parser does, with the canonicalization it applies:
 * lower-case scheme and host, IDNA host, IPv4 and IPv6 hosts in their canonical form, default port dropped,
 * dot segments removed, empty path {@code /} for special schemes, and the standard's percent-encode sets.
 * Its accessors are those of the standard's {@code URL} interface ({@link #href()}, {@link #protocol()},
 * {@link #host()}, {@link #pathname()}, {@link #search()}, {@link #hash()}...).
 *
 * <p>Also holds the component canonicalizers the URL Pattern Standard uses as encoding callbacks. Left out:
 * Windows drive letter quirks of {@code file:} URLs, and UTS 46 processing beyond what {@link IDN} (IDNA 2003)
 * does for non-ASCII hosts (see the package documentation for what the standard's tests say of it).
 * Parsed URLs are not modified after parsing: safe to share between threads.
 */
public final class WhatwgUrl {

  private static final String[] SPECIAL = {"ftp", "file", "http", "https", "ws", "wss"};
  private static final int[] DEFAULT_PORTS = {21, -1, 80, 443, 80, 443};

  /** Percent-encode sets, as the code points (besides C0 controls and non-ASCII) they add. */
  static final String FRAGMENT_SET = " \"<>`";
  static final String QUERY_SET = " \"#<>";
  static final String SPECIAL_QUERY_SET = QUERY_SET + "'";
  static final String PATH_SET = QUERY_SET + "?^`{}";
  static final String USERINFO_SET = PATH_SET + "/:;=@[\\]^|";
  static final String C0_SET = "";

  String scheme = "";
  String username = "";
  String password = "";
  /** Serialized host, or null. */
  String host;
  /** Port, or -1 for none (or the scheme's default). */
  int port = -1;
  /** Path segments; unused when {@link #opaquePath} is set. */
  List<String> path = new ArrayList<>();
  String opaquePath;
  String query;
  String fragment;

  private WhatwgUrl() {
  }

  /** The URL, or null when the input is not an absolute URL. */
  public static WhatwgUrl parse(String input) {
    return parse(input, null);
  }

  /**
   * The URL, or null when the input is not a URL.
   *
   * @param base the URL a relative input is resolved against, or null
   */
  public static WhatwgUrl parse(String input, WhatwgUrl base) {
    try {
      return new Parser(preprocess(input), base).parse();
    } catch (Failure f) {
      return null;
    }
  }

  boolean special() {
    return isSpecial(scheme);
  }

  /** The serialized URL ("URL serializer", fragment included). */
  public String href() {
    StringBuilder sb = new StringBuilder(scheme).append(':');
    if (host != null) {
      sb.append("//");
      if (!username.isEmpty() || !password.isEmpty()) {
        sb.append(username);
        if (!password.isEmpty()) {
          sb.append(':').append(password);
        }
        sb.append('@');
      }
      sb.append(host);
      if (port >= 0) {
        sb.append(':').append(port);
      }
    } else if (opaquePath == null && path.size() > 1 && path.get(0).isEmpty()) {
      sb.append("/."); // a path starting with "//" would read as an authority
    }
    sb.append(pathname());
    if (query != null) {
      sb.append('?').append(query);
    }
    if (fragment != null) {
      sb.append('#').append(fragment);
    }
    return sb.toString();
  }

  /** The scheme followed by {@code :}. */
  public String protocol() {
    return scheme + ":";
  }

  /** The username, percent-encoded; empty when there is none. */
  public String username() {
    return username;
  }

  /** The password, percent-encoded; empty when there is none. */
  public String password() {
    return password;
  }

  /** The serialized host and, when the URL has one that is not the scheme's default, {@code :} and the port. */
  public String host() {
    if (host == null) {
      return "";
    }
    return port < 0 ? host : host + ":" + port;
  }

  /** The serialized host; empty when there is none. */
  public String hostname() {
    return host == null ? "" : host;
  }

  /** The port; empty when there is none or it is the scheme's default. */
  public String port() {
    return port < 0 ? "" : String.valueOf(port);
  }

  /** {@code ?} and the query; empty when the query is null or empty. */
  public String search() {
    return query == null || query.isEmpty() ? "" : "?" + query;
  }

  /** {@code #} and the fragment; empty when the fragment is null or empty. */
  public String hash() {
    return fragment == null || fragment.isEmpty() ? "" : "#" + fragment;
  }

  /** Whether the URL has an opaque path ({@code urn:…}, {@code mailto:…}): no hierarchy, no path segments. */
  public boolean hasOpaquePath() {
    return opaquePath != null;
  }

  /** The URL Standard's "URL path serializer". */
  public String pathname() {
    if (opaquePath != null) {
      return opaquePath;
    }
    StringBuilder sb = new StringBuilder();
    for (String segment : path) {
      sb.append('/').append(segment);
    }
    return sb.toString();
  }

  static boolean isSpecial(String scheme) {
    return defaultPortIndex(scheme) >= 0;
  }

  /** The default port of a special scheme, -1 when it has none. */
  static int defaultPort(String scheme) {
    int i = defaultPortIndex(scheme);
    return i < 0 ? -1 : DEFAULT_PORTS[i];
  }

  static String[] specialSchemes() {
    return SPECIAL.clone();
  }

  private static int defaultPortIndex(String scheme) {
    for (int i = 0; i < SPECIAL.length; i++) {
      if (SPECIAL[i].equals(scheme)) {
        return i;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- canonicalizers of the URL Pattern Standard

  /** "canonicalize a protocol"; null when the value is not a scheme. */
  static String canonicalProtocol(String value) {
    if (value.isEmpty()) {
      return value;
    }
    WhatwgUrl url = parse(value + "://dummy.invalid/", null);
    return url == null ? null : url.scheme;
  }

  /** "canonicalize a username" and "canonicalize a password". */
  static String canonicalUserinfo(String value) {
    return percentEncode(value, USERINFO_SET);
  }

  /** "canonicalize a hostname" (hostname state with state override on a special URL); null when invalid. */
  static String canonicalHostname(String value) {
    if (value.isEmpty()) {
      return value;
    }
    boolean insideBrackets = false;
    int end = value.length();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ':' && !insideBrackets) {
        return null;
      }
      if (c == '/' || c == '?' || c == '#' || c == '\\') {
        end = i;
        break;
      }
      if (c == '[') {
        insideBrackets = true;
      } else if (c == ']') {
        insideBrackets = false;
      }
    }
    if (end == 0) {
      return null;
    }
    try {
      return parseHost(value.substring(0, end), false);
    } catch (Failure f) {
      return null;
    }
  }

  /** "canonicalize an IPv6 hostname"; null when a code point is not allowed. */
  static String canonicalIpv6Hostname(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.digit(c, 16) < 0 && c != '[' && c != ']' && c != ':') {
        return null;
      }
    }
    return value.toLowerCase(Locale.ROOT);
  }

  /** "canonicalize a port" (digits only, at most 65535, leading zeros dropped); null when invalid. */
  static String canonicalPort(String value) {
    if (value.isEmpty()) {
      return value;
    }
    int zeros = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      if (c == '0' && zeros == i && i < value.length() - 1) {
        zeros++; // leading zeros, all but a last digit
      }
    }
    String digits = value.substring(zeros);
    return digits.length() > 5 || Integer.parseInt(digits) > 65535 ? null : digits;
  }

  /** "canonicalize a pathname" for a piece of a special URL's path (no leading slash added). */
  static String canonicalPathname(String value) {
    if (value.isEmpty()) {
      return value;
    }
    boolean leadingSlash = value.charAt(0) == '/';
    WhatwgUrl url = new WhatwgUrl();
    url.scheme = "https";
    new Parser(leadingSlash ? value : "/-" + value, null).pathState(url, 1, true);
    String result = url.pathname();
    return leadingSlash ? result : result.substring(2);
  }

  /** "canonicalize an opaque pathname". */
  static String canonicalOpaquePathname(String value) {
    return percentEncode(value, C0_SET);
  }

  /** "canonicalize a search" (on a special URL). */
  static String canonicalSearch(String value) {
    return percentEncode(value, SPECIAL_QUERY_SET);
  }

  /** "canonicalize a hash". */
  static String canonicalHash(String value) {
    return percentEncode(value, FRAGMENT_SET);
  }

  // ---------------------------------------------------------------- parsing

  /** Thrown inside the parser on a URL that is not valid; never escapes. */
  private static final class Failure extends RuntimeException {
    Failure() {
      super(null, null, false, false);
    }
  }

  /** Strips leading and trailing C0 controls and spaces, and removes tabs and newlines. */
  private static String preprocess(String input) {
    int start = 0;
    int end = input.length();
    while (start < end && input.charAt(start) <= 0x20) {
      start++;
    }
    while (end > start && input.charAt(end - 1) <= 0x20) {
      end--;
    }
    StringBuilder sb = new StringBuilder(end - start);
    for (int i = start; i < end; i++) {
      char c = input.charAt(i);
      if (c != '\t' && c != '\n' && c != '\r') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A structured rendering of the basic URL parser's state machine (no state override). */
  private static final class Parser {
    private final String s;
    private final WhatwgUrl base;

    Parser(String s, WhatwgUrl base) {
      this.s = s;
      this.base = base;
    }

    private int at(int i) {
      return i < s.length() ? s.charAt(i) : -1;
    }

    private boolean slash(int i, boolean special) {
      int c = at(i);
      return c == '/' || special && c == '\\';
    }

    WhatwgUrl parse() {
      WhatwgUrl url = new WhatwgUrl();
      int colon = schemeEnd();
      if (colon < 0) {
        if (base == null || base.opaquePath != null && at(0) != '#') {
          throw new Failure();
        }
        if (base.opaquePath != null) {
          url.scheme = base.scheme;
          url.opaquePath = base.opaquePath;
          url.query = base.query;
          fragmentState(url, 1);
          return url;
        }
        return base.scheme.equals("file") ? fileState(url, 0) : relativeState(url, 0);
      }
      url.scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
      int i = colon + 1;
      if (url.scheme.equals("file")) {
        return fileState(url, i);
      }
      if (url.special()) {
        if (base != null && base.scheme.equals(url.scheme) && !(at(i) == '/' && at(i + 1) == '/')) {
          return relativeState(url, i);
        }
        while (slash(i, true)) {
          i++;
        }
        return authorityState(url, i);
      }
      if (at(i) == '/') {
        return at(i + 1) == '/' ? authorityState(url, i + 2) : pathState(url, i + 1, false);
      }
      return opaquePathState(url, i);
    }

    private int schemeEnd() {
      if (s.isEmpty() || !isAsciiAlpha(s.charAt(0))) {
        return -1;
      }
      for (int i = 1; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == ':') {
          return i;
        }
        if (!isAsciiAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
          return -1;
        }
      }
      return -1;
    }

    private WhatwgUrl relativeState(WhatwgUrl url, int i) {
      boolean special = isSpecial(base.scheme);
      url.scheme = base.scheme;
      if (slash(i, special)) {
        if (slash(i + 1, special)) {
          int j = i + 2;
          while (special && slash(j, true)) {
            j++;
          }
          return authorityState(url, j);
        }
        copyAuthority(url);
        return pathState(url, i + 1, false);
      }
      copyAuthority(url);
      return fromBasePath(url, i);
    }

    /** The relative and file states' shared tail: the base's path and query, then "?", "#", a path, or the end. */
    private WhatwgUrl fromBasePath(WhatwgUrl url, int i) {
      url.path = new ArrayList<>(base.path);
      url.query = base.query;
      int c = at(i);
      if (c == '?') {
        return queryState(url, i + 1);
      }
      if (c == '#') {
        return fragmentState(url, i + 1);
      }
      if (c == -1) {
        return url;
      }
      url.query = null;
      shorten(url);
      return pathState(url, i, false);
    }

    private void copyAuthority(WhatwgUrl url) {
      url.username = base.username;
      url.password = base.password;
      url.host = base.host;
      url.port = base.port;
    }

    private WhatwgUrl authorityState(WhatwgUrl url, int i) {
      boolean special = url.special();
      int end = i;
      while (end < s.length() && !isAuthorityEnd(at(end), special)) {
        end++;
      }
      String authority = s.substring(i, end);
      int at = authority.lastIndexOf('@');
      if (at >= 0) {
        String userinfo = authority.substring(0, at);
        int colon = userinfo.indexOf(':');
        url.username = percentEncode(colon < 0 ? userinfo : userinfo.substring(0, colon), USERINFO_SET);
        url.password = colon < 0 ? "" : percentEncode(userinfo.substring(colon + 1), USERINFO_SET);
        authority = authority.substring(at + 1);
        if (authority.isEmpty()) {
          throw new Failure();
        }
      }
      int portColon = -1;
      boolean insideBrackets = false;
      for (int k = 0; k < authority.length(); k++) {
        char c = authority.charAt(k);
        if (c == '[') {
          insideBrackets = true;
        } else if (c == ']') {
          insideBrackets = false;
        } else if (c == ':' && !insideBrackets) {
          portColon = k;
          break;
        }
      }
      String hostText = portColon < 0 ? authority : authority.substring(0, portColon);
      if (hostText.isEmpty() && (special || portColon >= 0)) {
        throw new Failure();
      }
      url.host = parseHost(hostText, !special);
      if (portColon >= 0) {
        String port = authority.substring(portColon + 1);
        if (!port.isEmpty()) {
          String digits = canonicalPort(port);
          if (digits == null) {
            throw new Failure();
          }
          int value = Integer.parseInt(digits);
          url.port = value == defaultPort(url.scheme) ? -1 : value;
        }
      }
      return pathStartState(url, end);
    }

    private static boolean isAuthorityEnd(int c, boolean special) {
      return c == '/' || c == '?' || c == '#' || special && c == '\\';
    }

    private WhatwgUrl fileState(WhatwgUrl url, int i) {
      url.scheme = "file";
      url.host = "";
      boolean baseIsFile = base != null && base.scheme.equals("file");
      if (slash(i, true)) {
        if (slash(i + 1, true)) {
          int end = i + 2;
          while (end < s.length() && !isAuthorityEnd(at(end), true)) {
            end++;
          }
          String hostText = s.substring(i + 2, end);
          if (!hostText.isEmpty()) {
            String host = parseHost(hostText, false);
            url.host = host.equals("localhost") ? "" : host;
          }
          return pathStartState(url, end);
        }
        if (baseIsFile) {
          url.host = base.host;
        }
        return pathState(url, i + 1, false);
      }
      if (baseIsFile) {
        url.host = base.host;
        return fromBasePath(url, i);
      }
      return pathState(url, i, false);
    }

    private WhatwgUrl pathStartState(WhatwgUrl url, int i) {
      if (url.special()) {
        return pathState(url, slash(i, true) ? i + 1 : i, false);
      }
      int c = at(i);
      if (c == '?') {
        return queryState(url, i + 1);
      }
      if (c == '#') {
        return fragmentState(url, i + 1);
      }
      if (c != -1) {
        return pathState(url, c == '/' ? i + 1 : i, false);
      }
      return url;
    }

    /**
     * The path state from {@code i} (just after a segment's leading slash). With {@code override}
     * (state override), {@code ?} and {@code #} belong to the path.
     */
    WhatwgUrl pathState(WhatwgUrl url, int i, boolean override) {
      boolean special = url.special();
      StringBuilder buffer = new StringBuilder();
      int j = i;
      while (true) {
        int c = at(j);
        boolean end = c == -1 || c == '/' || special && c == '\\' || !override && (c == '?' || c == '#');
        if (!end) {
          int cp = s.codePointAt(j);
          appendEncoded(buffer, cp, PATH_SET);
          j += Character.charCount(cp);
          continue;
        }
        String segment = buffer.toString();
        boolean slashNext = c == '/' || special && c == '\\';
        if (isDoubleDot(segment)) {
          shorten(url);
          if (!slashNext) {
            url.path.add("");
          }
        } else if (isSingleDot(segment)) {
          if (!slashNext) {
            url.path.add("");
          }
        } else {
          url.path.add(segment);
        }
        buffer.setLength(0);
        if (c == '?') {
          return queryState(url, j + 1);
        }
        if (c == '#') {
          return fragmentState(url, j + 1);
        }
        if (c == -1) {
          return url;
        }
        j++;
      }
    }

    private WhatwgUrl opaquePathState(WhatwgUrl url, int i) {
      StringBuilder sb = new StringBuilder();
      int j = i;
      while (j < s.length()) {
        char c = s.charAt(j);
        if (c == '?' || c == '#') {
          url.opaquePath = stripTrailingSpaces(sb);
          return c == '?' ? queryState(url, j + 1) : fragmentState(url, j + 1);
        }
        int cp = s.codePointAt(j);
        appendEncoded(sb, cp, C0_SET);
        j += Character.charCount(cp);
      }
      url.opaquePath = sb.toString();
      return url;
    }

    /** An opaque path followed by a query or fragment loses its trailing spaces. */
    private static String stripTrailingSpaces(StringBuilder path) {
      int end = path.length();
      while (end > 0 && path.charAt(end - 1) == ' ') {
        end--;
      }
      return path.substring(0, end);
    }

    private WhatwgUrl queryState(WhatwgUrl url, int i) {
      int hash = s.indexOf('#', i);
      int end = hash < 0 ? s.length() : hash;
      url.query = percentEncode(s.substring(i, end), url.special() ? SPECIAL_QUERY_SET : QUERY_SET);
      return hash < 0 ? url : fragmentState(url, hash + 1);
    }

    private WhatwgUrl fragmentState(WhatwgUrl url, int i) {
      url.fragment = percentEncode(s.substring(Math.min(i, s.length())), FRAGMENT_SET);
      return url;
    }

    private static void shorten(WhatwgUrl url) {
      if (!url.path.isEmpty()) {
        url.path.remove(url.path.size() - 1);
      }
    }

    private static boolean isSingleDot(String segment) {
      return segment.equals(".") || segment.equalsIgnoreCase("%2e");
    }

    private static boolean isDoubleDot(String segment) {
      String lower = segment.toLowerCase(Locale.ROOT);
      return lower.equals("..") || lower.equals(".%2e") || lower.equals("%2e.") || lower.equals("%2e%2e");
    }
  }

  // ---------------------------------------------------------------- hosts

  private static final String FORBIDDEN_HOST = "\0\t\n\r #/:<>?@[\\]^|";

  /** The host parser; the serialized host. */
  private static String parseHost(String input, boolean opaque) {
    if (input.startsWith("[")) {
      if (!input.endsWith("]") || input.length() < 2) {
        throw new Failure();
      }
      return "[" + Ipv6.serialize(Ipv6.parse(input.substring(1, input.length() - 1))) + "]";
    }
    if (opaque) {
      for (int i = 0; i < input.length(); i++) {
        if (FORBIDDEN_HOST.indexOf(input.charAt(i)) >= 0) {
          throw new Failure();
        }
      }
      return percentEncode(input, C0_SET);
    }
    String domain = percentDecode(input);
    String ascii = domainToAscii(domain);
    for (int i = 0; i < ascii.length(); i++) {
      char c = ascii.charAt(i);
      if (FORBIDDEN_HOST.indexOf(c) >= 0 || c < 0x20 || c == '%' || c == 0x7F) {
        throw new Failure();
      }
    }
    return Ipv4.endsInNumber(ascii) ? Ipv4.serialize(Ipv4.parse(ascii)) : ascii;
  }

  private static String domainToAscii(String domain) {
    boolean ascii = domain.chars().allMatch(c -> c < 0x80);
    if (ascii) {
      String lower = domain.toLowerCase(Locale.ROOT);
      for (String label : lower.split("\\.", -1)) {
        if (label.startsWith("xn--") && !Punycode.isValidLabel(label.substring(4))) {
          throw new Failure();
        }
      }
      return lower;
    }
    try {
      String result = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
      if (result.isEmpty()) {
        throw new Failure();
      }
      return result;
    } catch (IllegalArgumentException e) {
      throw new Failure();
    }
  }

  /**
   * The check UTS 46 makes of an ASCII label starting with {@code xn--}: its Punycode (RFC 3492) decodes to a
   * non-empty label with a non-ASCII code point, which mapping would leave as it is (approximated here by NFKC
   * and lower case: a label such as {@code xn--pokxncvks}, circled digits, is refused).
   */
  private static final class Punycode {

    static boolean isValidLabel(String encoded) {
      String label = decode(encoded);
      return label != null && !label.chars().allMatch(c -> c < 0x80)
          && Normalizer.normalize(label, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).equals(label);
    }

    /** RFC 3492 section 6.2; null when the input is not valid Punycode. */
    private static String decode(String input) {
      int n = 128;
      int i = 0;
      int bias = 72;
      int delimiter = input.lastIndexOf('-');
      List<Integer> output = new ArrayList<>();
      for (int j = 0; j < Math.max(delimiter, 0); j++) {
        output.add((int) input.charAt(j));
      }
      int p = delimiter > 0 ? delimiter + 1 : 0;
      while (p < input.length()) {
        int oldI = i;
        int w = 1;
        for (int k = 36; ; k += 36) {
          if (p >= input.length()) {
            return null;
          }
          int digit = digit(input.charAt(p++));
          if (digit < 0 || digit > (Integer.MAX_VALUE - i) / w) {
            return null;
          }
          i += digit * w;
          int t = k <= bias ? 1 : Math.min(k - bias, 26);
          if (digit < t) {
            break;
          }
          if (w > Integer.MAX_VALUE / (36 - t)) {
            return null;
          }
          w *= 36 - t;
        }
        int length = output.size() + 1;
        bias = adapt(i - oldI, length, oldI == 0);
        if (i / length > Integer.MAX_VALUE - n) {
          return null;
        }
        n += i / length;
        i %= length;
        if (n > Character.MAX_CODE_POINT || Character.isSurrogate((char) n) && n <= 0xFFFF) {
          return null;
        }
        output.add(i++, n);
      }
      StringBuilder sb = new StringBuilder();
      output.forEach(sb::appendCodePoint);
      return sb.toString();
    }

    private static int digit(char c) {
      if (c >= '0' && c <= '9') {
        return c - '0' + 26;
      }
      if (c >= 'a' && c <= 'z') {
        return c - 'a';
      }
      return c >= 'A' && c <= 'Z' ? c - 'A' : -1;
    }

    private static int adapt(int delta, int length, boolean first) {
      int d = first ? delta / 700 : delta / 2;
      d += d / length;
      int k = 0;
      while (d > 455) {
        d /= 35;
        k += 36;
      }
      return k + 36 * d / (d + 38);
    }
  }

  /** IPv4 addresses in the URL Standard's lenient syntax (decimal, octal, hexadecimal parts). */
  private static final class Ipv4 {

    static boolean endsInNumber(String input) {
      List<String> parts = new ArrayList<>(List.of(input.split("\\.", -1)));
      if (parts.get(parts.size() - 1).isEmpty()) {
        if (parts.size() == 1) {
          return false;
        }
        parts.remove(parts.size() - 1);
      }
      String last = parts.get(parts.size() - 1);
      if (!last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return true;
      }
      return number(last) >= 0;
    }

    static long parse(String input) {
      List<String> parts = new ArrayList<>(List.of(input.split("\\.", -1)));
      if (parts.get(parts.size() - 1).isEmpty() && parts.size() > 1) {
        parts.remove(parts.size() - 1);
      }
      if (parts.size() > 4) {
        throw new Failure();
      }
      long[] numbers = new long[parts.size()];
      for (int i = 0; i < numbers.length; i++) {
        numbers[i] = number(parts.get(i));
        if (numbers[i] < 0 || i < numbers.length - 1 && numbers[i] > 255) {
          throw new Failure();
        }
      }
      long last = numbers[numbers.length - 1];
      if (last >= 1L << (8 * (5 - numbers.length))) {
        throw new Failure();
      }
      long address = last;
      for (int i = 0; i < numbers.length - 1; i++) {
        address += numbers[i] << (8 * (3 - i));
      }
      return address;
    }

    /** The value of one part, or -1 when it is not a number (values are capped to stay in a long). */
    private static long number(String part) {
      if (part.isEmpty()) {
        return -1;
      }
      int radix = 10;
      String digits = part;
      if (part.length() >= 2 && (part.startsWith("0x") || part.startsWith("0X"))) {
        radix = 16;
        digits = part.substring(2);
      } else if (part.length() >= 2 && part.charAt(0) == '0') {
        radix = 8;
        digits = part.substring(1);
      }
      if (digits.isEmpty()) {
        return 0;
      }
      long value = 0;
      for (int i = 0; i < digits.length(); i++) {
        int d = Character.digit(digits.charAt(i), radix);
        if (d < 0 || digits.charAt(i) > 0x7F) {
          return -1;
        }
        value = Math.min(value * radix + d, 1L << 40);
      }
      return value;
    }

    static String serialize(long address) {
      return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
    }
  }

  /** IPv6 addresses, parsed and serialized (lower-case hexadecimal, longest zero run compressed). */
  private static final class Ipv6 {

    static int[] parse(String input) {
      int[] address = new int[8];
      int pieceIndex = 0;
      int compress = -1;
      int p = 0;
      int n = input.length();
      if (p < n && input.charAt(p) == ':') {
        if (p + 1 >= n || input.charAt(p + 1) != ':') {
          throw new Failure();
        }
        p += 2;
        compress = ++pieceIndex;
      }
      while (p < n) {
        if (pieceIndex == 8) {
          throw new Failure();
        }
        if (input.charAt(p) == ':') {
          if (compress >= 0) {
            throw new Failure();
          }
          p++;
          compress = ++pieceIndex;
          continue;
        }
        int value = 0;
        int length = 0;
        while (length < 4 && p < n && Character.digit(input.charAt(p), 16) >= 0 && input.charAt(p) < 0x80) {
          value = value * 16 + Character.digit(input.charAt(p), 16);
          p++;
          length++;
        }
        if (p < n && input.charAt(p) == '.') {
          if (length == 0 || pieceIndex > 6) {
            throw new Failure();
          }
          p -= length;
          pieceIndex = ipv4Pieces(input, p, address, pieceIndex);
          p = n;
          break;
        }
        if (p < n && input.charAt(p) == ':') {
          p++;
          if (p >= n) {
            throw new Failure();
          }
        } else if (p < n) {
          throw new Failure();
        }
        address[pieceIndex++] = value;
      }
      if (compress >= 0) {
        int swaps = pieceIndex - compress;
        pieceIndex = 7;
        while (pieceIndex != 0 && swaps > 0) {
          int tmp = address[pieceIndex];
          address[pieceIndex] = address[compress + swaps - 1];
          address[compress + swaps - 1] = tmp;
          pieceIndex--;
          swaps--;
        }
      } else if (pieceIndex != 8) {
        throw new Failure();
      }
      return address;
    }

    private static int ipv4Pieces(String input, int start, int[] address, int pieceIndex) {
      int p = start;
      int n = input.length();
      int numbersSeen = 0;
      while (p < n) {
        int value = -1;
        if (numbersSeen > 0) {
          if (input.charAt(p) == '.' && numbersSeen < 4) {
            p++;
          } else {
            throw new Failure();
          }
        }
        if (p >= n || input.charAt(p) < '0' || input.charAt(p) > '9') {
          throw new Failure();
        }
        while (p < n && input.charAt(p) >= '0' && input.charAt(p) <= '9') {
          int digit = input.charAt(p) - '0';
          if (value == -1) {
            value = digit;
          } else if (value == 0) {
            throw new Failure();
          } else {
            value = value * 10 + digit;
          }
          if (value > 255) {
            throw new Failure();
          }
          p++;
        }
        address[pieceIndex] = address[pieceIndex] * 256 + value;
        numbersSeen++;
        if (numbersSeen == 2 || numbersSeen == 4) {
          pieceIndex++;
        }
      }
      if (numbersSeen != 4) {
        throw new Failure();
      }
      return pieceIndex;
    }

    static String serialize(int[] address) {
      int bestStart = -1;
      int bestLength = 1;
      for (int i = 0; i < 8; i++) {
        int j = i;
        while (j < 8 && address[j] == 0) {
          j++;
        }
        if (j - i > bestLength) {
          bestStart = i;
          bestLength = j - i;
        }
        i = Math.max(i, j - 1);
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        if (i == bestStart) {
          sb.append(i == 0 ? "::" : ":");
          i += bestLength - 1;
          continue;
        }
        sb.append(Integer.toHexString(address[i]));
        if (i < 7) {
          sb.append(':');
        }
      }
      return sb.toString();
    }
  }

  // ---------------------------------------------------------------- percent-encoding

  /** UTF-8 percent-encodes the code points in the set (C0 controls and non-ASCII always; unpaired surrogates as U+FFFD). */
  static String percentEncode(String value, String set) {
    StringBuilder sb = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7F && set.indexOf(c) < 0) {
        if (sb != null) {
          sb.append(c);
        }
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(value.length() + 16).append(value, 0, i);
      }
      int cp = value.codePointAt(i);
      appendEncoded(sb, cp, set);
      i += Character.charCount(cp) - 1;
    }
    return sb == null ? value : sb.toString();
  }

  private static void appendEncoded(StringBuilder sb, int cp, String set) {
    if (cp >= 0x20 && cp < 0x7F && set.indexOf(cp) < 0) {
      sb.append((char) cp);
      return;
    }
    int safe = Character.isSurrogate((char) cp) && cp <= 0xFFFF ? 0xFFFD : cp;
    for (byte b : new String(Character.toChars(safe)).getBytes(StandardCharsets.UTF_8)) {
      sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4 & 15, 16)))
          .append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
    }
  }

  /** Percent-decodes to bytes and reads them as UTF-8 (invalid sequences become U+FFFD). */
  private static String percentDecode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length) {
        int hi = Character.digit(bytes[i + 1], 16);
        int lo = Character.digit(bytes[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      out.write(bytes[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isAsciiAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
