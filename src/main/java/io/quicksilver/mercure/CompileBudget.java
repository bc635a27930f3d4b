package io.quicksilver.mercure;

import com.google.re2j.Pattern;

/**
 * How much compiled matching program a selector, and all the selectors of one request, may cost.
 *
 * <p>RE2 matches in time linear in the input, but not in the size of the compiled program, and re2j bounds
 * neither that size nor the time and memory spent building it: {@code (?:(?:a{1000}){1000}){20}} compiles to
 * about 2·10<sup>7</sup> instructions (seconds of CPU, gigabytes of heap) before it matches anything
 * (CWE-1333, CWE-400). So every regular expression the hub builds from client input is first measured by
 * {@link RegexCost} — a count over its text, linear and without allocation — and charged here; only what fits
 * is compiled. A program also costs time on every match (the NFA runs up to one thread per instruction over
 * each character of a topic), so the request budget bounds what one subscriber costs every update too.
 *
 * <p>Budgets nest: a matcher's budget is a child of its request's, and a charge counts against both. A
 * selector already compiled (from the shared cache) is charged its recorded cost without compiling again.
 * Not thread-safe: one request at a time.
 */
public final class CompileBudget {

  /**
   * Most program instructions one selector may compile to (URI template, or the components of a URL pattern), its
   * reading included. One instruction is about 100 ns of compilation: a couple of milliseconds; a 4 KiB pattern fits.
   */
  public static final long MATCHER_INSTRUCTIONS = 20_000;
  /** Most program instructions all the selectors of one request may compile to together: some 5 ms of compilation. */
  public static final long REQUEST_INSTRUCTIONS = 60_000;
  /** Estimated heap of one compiled program instruction (re2j's {@code Inst} and its rune array), for caches. */
  static final long BYTES_PER_INSTRUCTION = 64;

  private final CompileBudget parent;
  private final long limit;
  private final boolean request;
  private long spent;

  private CompileBudget(CompileBudget parent, long limit, boolean request) {
    this.parent = parent;
    this.limit = limit;
    this.request = request;
  }

  /** The budget of one request's selectors. */
  public static CompileBudget forRequest() {
    return new CompileBudget(null, REQUEST_INSTRUCTIONS, true);
  }

  /** The budget of one selector compiled outside a request's budget (e.g. a token grant). */
  public static CompileBudget forMatcher() {
    return new CompileBudget(null, MATCHER_INSTRUCTIONS, false);
  }

  /** A budget for one selector, charged against this one too. */
  CompileBudget matcher() {
    return new CompileBudget(this, MATCHER_INSTRUCTIONS, false);
  }

  /** Instructions still available here (and in every enclosing budget). */
  long remaining() {
    long left = limit - spent;
    return parent == null ? left : Math.min(left, parent.remaining());
  }

  /** How much was charged here. */
  long spent() {
    return spent;
  }

  /**
   * Measures a regular expression, charges its cost, then compiles it.
   *
   * @param what names the selector in the reason, e.g. {@code "URL pattern"}
   * @throws ProtocolException 400 {@code invalid_request} when it does not fit (nothing is compiled then)
   * @throws com.google.re2j.PatternSyntaxException when re2j refuses the expression
   */
  Pattern compile(String regex, String what) {
    charge(RegexCost.instructions(regex, remaining(), what), what);
    return Pattern.compile(regex);
  }

  /**
   * Charges a cost.
   *
   * @param instructions the program size of what is about to be compiled (or was compiled before)
   * @param what         names the selector in the reason, e.g. {@code "URL pattern"}
   * @throws ProtocolException 400 {@code invalid_request} when the cost does not fit
   */
  void charge(long instructions, String what) {
    if (instructions > limit - spent) {
      throw ProtocolException.invalidRequest(what + " too complex: " + (request
          ? "the selectors of this request would compile to more than " + limit + " instructions"
          : "it would compile to more than " + limit + " instructions"));
    }
    if (parent != null) {
      parent.charge(instructions, what);
    }
    spent += instructions;
  }
}
