package io.quicksilver.url;

import io.quicksilver.url.Wpt.Case;
import io.quicksilver.url.Wpt.Outcome;
import io.quicksilver.url.Wpt.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The URL Standard's parser tests ({@code urltestdata.json} of web-platform-tests): each input, with its base,
 * parses to the URL the standard says (href, protocol, host, pathname, search, hash) or fails to parse.
 */
class WhatwgUrlWptTest {

  static final String DATA = "urltestdata.txt";

  static List<Case> cases() {
    return Wpt.cases(DATA);
  }

  /** Left out by design (see {@link WhatwgUrl}): a case of it that fails is skipped, with this reason. */
  static final String DRIVE_LETTERS = "Windows drive letters in file: URLs";
  /** Known: IDN implements IDNA 2003, which maps the deviation characters (ß, ς, ZWJ, ZWNJ) UTS 46 keeps. */
  static final String DEVIATIONS = "UTS 46 deviation characters in hosts";
  private static final Pattern DRIVE_PATH = Pattern.compile("/[A-Za-z]:(/.*)?");

  /** What parsing a case's input gives, compared with what the standard expects, with failures classified. */
  @SuppressWarnings("unchecked")
  static Outcome outcome(Case c) {
    List<Object> row = (List<Object>) c.value();
    Outcome outcome = compare(row);
    if (outcome.result() != Result.FAILED) {
      return outcome;
    }
    if (row.size() > 3 && "file:".equals(row.get(3)) && DRIVE_PATH.matcher((String) row.get(5)).matches()) {
      return Outcome.skipped(DRIVE_LETTERS);
    }
    if (((String) row.get(0)).matches(".*[\u00DF\u03C2\u200C\u200D].*")) {
      return new Outcome(Result.KNOWN_FAILURE, DEVIATIONS);
    }
    return outcome;
  }

  private static Outcome compare(List<Object> row) {
    String input = (String) row.get(0);
    String baseText = (String) row.get(1);
    WhatwgUrl base = baseText == null ? null : WhatwgUrl.parse(baseText);
    WhatwgUrl url = baseText != null && base == null ? null : WhatwgUrl.parse(input, base);
    if (row.size() <= 3) {
      return url == null ? Outcome.PASSED : Outcome.failed("expected a failure, parsed as " + url.href());
    }
    if (url == null) {
      return Outcome.failed("expected " + row.get(2) + ", not parsed");
    }
    List<String> wrong = new ArrayList<>();
    String[] names = {"href", "protocol", "host", "pathname", "search", "hash"};
    String[] actual = {url.href(), url.protocol(), url.host(), url.pathname(), url.search(), url.hash()};
    for (int i = 0; i < names.length; i++) {
      if (!actual[i].equals(row.get(i + 2))) {
        wrong.add(names[i] + " " + actual[i] + " instead of " + row.get(i + 2));
      }
    }
    return wrong.isEmpty() ? Outcome.PASSED : Outcome.failed(String.join(", ", wrong));
  }

  /** Verifies that each input parses as the URL Standard says, or is listed as skipped or a known failure. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parsesAsTheStandardSays(Case c) {
    Wpt.check(c, outcome(c));
  }

  /** Verifies that the package documentation states the counts these cases come to. */
  @Test
  void packageDocumentationStatesTheCounts() {
    Wpt.assertDocumented("urltestdata", cases().stream().map(WhatwgUrlWptTest::outcome).toList());
  }
}
