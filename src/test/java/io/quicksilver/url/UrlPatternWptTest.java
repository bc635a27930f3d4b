package io.quicksilver.url;

import com.google.re2j.Pattern;
import io.quicksilver.url.UrlPatternParser.Field;
import io.quicksilver.url.Wpt.Case;
import io.quicksilver.url.Wpt.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The URL Pattern Standard's tests ({@code urlpatterntestdata.json} of web-platform-tests): each constructor
 * string, with its base URL, constructs or is refused as the standard says, with the component pattern strings
 * it gives ({@code expected_obj}), and each input string gives the standard's {@code exec} result: no match, or
 * every component's input and groups ({@code expected_match}).
 */
class UrlPatternWptTest {

  static final String DATA = "urlpatterntestdata.txt";
  /** Skip reasons: what the package does not offer (see its documentation). */
  static final String OBJECT_PATTERN = "dictionary-form patterns";
  static final String IGNORE_CASE = "ignoreCase option";
  static final String OBJECT_INPUT = "dictionary-form inputs, construction checked";

  static List<Case> cases() {
    return Wpt.cases(DATA);
  }

  /** What constructing a case's pattern and matching its inputs give, compared with what the standard expects. */
  @SuppressWarnings("unchecked")
  static Outcome outcome(Case c) {
    Map<String, Object> entry = (Map<String, Object>) c.value();
    List<Object> args = (List<Object>) entry.get("pattern");
    if (args.isEmpty() || !(args.get(0) instanceof String)) {
      return Outcome.skipped(OBJECT_PATTERN);
    }
    if (args.stream().anyMatch(a -> a instanceof Map)) {
      return Outcome.skipped(IGNORE_CASE);
    }
    UrlPattern pattern = construct(args);
    Object expectedObj = entry.get("expected_obj");
    if ("error".equals(expectedObj)) {
      return pattern == null ? Outcome.PASSED : Outcome.failed("constructed, expected an error");
    }
    if (pattern == null) {
      return Outcome.failed("not constructed: " + constructionError(args));
    }
    List<String> wrong = new ArrayList<>();
    if (expectedObj instanceof Map<?, ?> components) {
      components.forEach((name, value) -> {
        String actual = pattern.component(field((String) name));
        if (!actual.equals(value)) {
          wrong.add(name + " " + actual + " instead of " + value);
        }
      });
    }
    List<Object> inputs = (List<Object>) entry.get("inputs");
    if (!wrong.isEmpty() || inputs == null || !entry.containsKey("expected_match")) {
      return wrong.isEmpty() ? Outcome.PASSED : Outcome.failed(String.join(", ", wrong));
    }
    if (inputs.stream().anyMatch(i -> !(i instanceof String))) {
      return Outcome.skipped(OBJECT_INPUT);
    }
    compareMatch(pattern, inputs, entry, wrong);
    return wrong.isEmpty() ? Outcome.PASSED : Outcome.failed(String.join(", ", wrong));
  }

  /** The pattern of {@code new URLPattern(string[, baseURL])}, compiled by RE2, or null when it is refused. */
  private static UrlPattern construct(List<Object> args) {
    try {
      return compile(args);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String constructionError(List<Object> args) {
    try {
      compile(args);
      return "";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static UrlPattern compile(List<Object> args) {
    WhatwgUrl base = null;
    if (args.size() > 1) {
      base = WhatwgUrl.parse((String) args.get(1));
      if (base == null) {
        throw new IllegalArgumentException("the base URL is not a URL");
      }
    }
    return UrlPattern.compile((String) args.get(0), base, Pattern::compile);
  }

  @SuppressWarnings("unchecked")
  private static void compareMatch(UrlPattern pattern, List<Object> inputs, Map<String, Object> entry, List<String> wrong) {
    String input = (String) inputs.get(0);
    WhatwgUrl inputBase = null;
    boolean badBase = false;
    if (inputs.size() > 1) {
      inputBase = WhatwgUrl.parse((String) inputs.get(1));
      badBase = inputBase == null;
    }
    Map<Field, Map<String, String>> result = badBase ? null : pattern.exec(input, inputBase);
    Object expected = entry.get("expected_match");
    if (expected == null || result == null) {
      if (expected != result) {
        wrong.add(expected == null ? "matched, expected no match" : "no match, expected " + expected);
      }
      return;
    }
    Map<String, Object> expectedMatch = (Map<String, Object>) expected;
    List<Object> exactlyEmpty = (List<Object>) entry.getOrDefault("exactly_empty_components", List.of());
    WhatwgUrl url = WhatwgUrl.parse(input, inputBase);
    for (Field field : Field.values()) {
      String name = field.name().toLowerCase(Locale.ROOT);
      Map<String, Object> component = (Map<String, Object>) expectedMatch.get(name);
      String expectedInput = component == null ? "" : (String) component.get("input");
      Map<String, Object> expectedGroups = component != null ? (Map<String, Object>) component.get("groups")
          : exactlyEmpty.contains(name) ? Map.of() : Map.of("0", "");
      String actualInput = UrlPattern.value(url, field);
      if (!actualInput.equals(expectedInput)) {
        wrong.add(name + " input " + actualInput + " instead of " + expectedInput);
      }
      if (!new HashMap<>(result.get(field)).equals(new HashMap<>(expectedGroups))) {
        wrong.add(name + " groups " + result.get(field) + " instead of " + expectedGroups);
      }
    }
  }

  private static Field field(String name) {
    return Field.valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** Verifies that each case constructs and matches as the standard says, or is listed as skipped. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void constructsAndMatchesAsTheStandardSays(Case c) {
    Wpt.check(c, outcome(c));
  }

  /** Verifies that the package documentation states the counts these cases come to. */
  @Test
  void packageDocumentationStatesTheCounts() {
    Wpt.assertDocumented("urlpatterntestdata", cases().stream().map(UrlPatternWptTest::outcome).toList());
  }
}
