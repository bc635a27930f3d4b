package io.quicksilver.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.re2j.Pattern;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;



/** Verifies that {@link RegexCost} bounds re2j's program size from above, closely, and refuses repetition bombs. */
class RegexCostTest {

  private static final long CAP = 1_000_000;

  /** re2j's own instruction count (its program is not public: read by reflection, in this test only). */
  private static int compiledSize(String regex) throws Exception {
    Pattern p = Pattern.compile(regex);
    Field re2 = Pattern.class.getDeclaredField("re2");
    re2.setAccessible(true);
    Object compiled = re2.get(p);
    Field prog = compiled.getClass().getDeclaredField("prog");
    prog.setAccessible(true);
    Object program = prog.get(compiled);
    Field size = program.getClass().getDeclaredField("instSize");
    size.setAccessible(true);
    return size.getInt(program);
  }

  /** Verifies that the count is never below re2j's program size, and stays near it plus the parser's work. */
  @ParameterizedTest
  @ValueSource(strings = {
      "a", "abc", "[a-z]", "[]a]", "[^]a]", "[[:alpha:]x]", "[\\]\\[]{3}", "(?:a|b)", "a|b|c", "a|", "(a)", "(?P<n>a)",
      "a*", "a+", "a?", "a*?", "a{3}", "a{2,5}", "a{2,}", "a{0,}", "a{0}", "a{0,0}", "a{1000}", "(?:ab){3}",
      "(?:ab){0,3}", "x{0,1000}", "(?:a{100}){10}", "(?:(?:a{10}){10}){10}", "(?i)abc", "(?i:abc)d", "(?s:.)+?",
      "\\d\\w\\s\\pL\\p{Greek}\\x{41}\\x41\\101\\.", "\\Qa.b{9}\\E", "^[^/]+?$", ".*", "a{,5}", "a{x}", "{", "}",
      "((((a))))", "(?:(?:a|b|c)*d){2,7}",
      "^https://example\\.com/books/(?:(?:[A-Za-z0-9\\-._~]|%[0-9A-Fa-f]{2})|,)*$",
      "^(?:/(?:(?:[A-Za-z0-9\\-._~]|%[0-9A-Fa-f]{2})|,)*){0,40}$",
      "^\\/\\.well-known\\/mercure\\/subscriptions(?:\\/([^\\/]+?))?(?:\\/((?:[^\\/]+?)(?:\\/(?:[^\\/]+?))*))?$"})
  void boundsCompiledSize(String regex) throws Exception {
    long counted = RegexCost.instructions(regex, CAP, "test");
    int actual = compiledSize(regex);
    assertTrue(counted >= actual, regex + ": counted " + counted + " < compiled " + actual);
    long parser = (long) RegexCost.CLASS_UNION * regex.length() + (long) regex.length() * regex.length() / RegexCost.COPY_CHARS;
    assertTrue(counted <= 2L * actual + 4 + parser, regex + ": counted " + counted + " far above compiled " + actual);
  }

  /** Verifies that counting stops at the cap: a bomb is measured without growing past it. */
  @Test
  void saturatesAtCap() {
    assertEquals(10_001, RegexCost.instructions("a{1000}".repeat(11), 10_000, "test"));
    assertEquals(101, RegexCost.instructions("x".repeat(5000), 100, "test"));
  }

  /** Verifies that repetition counts over 1000, nested counts multiplying past 1000, and deep nesting are refused. */
  @ParameterizedTest
  @ValueSource(strings = {"a{1001}", "a{0,1001}", "a{99999999999}", "(?:(?:a{1000}){1000}){20}", "(?:a{100}){11}",
      "(?:(?:a{10}){10}){11}", "(?:a{2,}){501}"})
  void refusesRepetitionBombs(String regex) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> RegexCost.instructions(regex, CAP, "selector"));
    assertEquals(400, e.status());
    assertEquals("invalid_request", e.bearerError());
    assertTrue(e.reason().startsWith("selector too complex"), e.reason());
  }

  /** Verifies that groups nested deeper than the limit are refused before re2j recurses into them. */
  @Test
  void refusesDeepNesting() {
    String deep = "(?:".repeat(RegexCost.MAX_DEPTH + 1) + "a" + ")".repeat(RegexCost.MAX_DEPTH + 1);
    assertThrows(ProtocolException.class, () -> RegexCost.instructions(deep, CAP, "test"));
    String fits = "(?:".repeat(RegexCost.MAX_DEPTH) + "a" + ")".repeat(RegexCost.MAX_DEPTH);
    assertTrue(RegexCost.instructions(fits, CAP, "test") > 3);
  }

  /** Verifies that a linear-size count is taken in linear time, whatever the text. */
  @Test
  void countsLongTextQuickly() {
    String text = "[a-z]{2,9}(?:x|y)*\\d".repeat(10_000);
    long started = System.nanoTime();
    RegexCost.instructions(text, CAP, "test");
    assertTrue(System.nanoTime() - started < 2_000_000_000L);
  }
}
