package io.quicksilver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;



/** Duration text such as {@code 40s}, {@code 500ms}, {@code 1h30m}. */
class DurationsTest {

  /** Verifies that durations in ms, s, m, h and their sums parse to the right length. */
  @ParameterizedTest
  @CsvSource(quoteCharacter = '"', value = {
      "0, 0",
      "0s, 0",
      "500ms, 500",
      "40s, 40000",
      "10m, 600000",
      "1h, 3600000",
      "1h30m, 5400000",
      "1m30s500ms, 90500",
      "\" 5s \", 5000",
      "007s, 7000"})
  void parses(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), Durations.parse(text));
  }

  /** Verifies that text that is not a duration is refused with IllegalArgumentException. */
  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "5", "s", "-5s", "+5s", "5x", "1.5s", "5 s", "ms5", "5S", "5sec", "1h 30m", "0x10s",
      "1000000000000s", "5s5"})
  void refuses(String text) {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
  }

  /** Verifies that format writes the largest whole unit and parses back to the same duration. */
  @ParameterizedTest
  @CsvSource({"0, 0", "500, 500ms", "1000, 1s", "90000, 90s", "120000, 2m", "3600000, 1h", "5400000, 90m", "1500, 1500ms"})
  void formatsAndRoundTrips(long millis, String text) {
    assertEquals(text, Durations.format(Duration.ofMillis(millis)));
    assertEquals(Duration.ofMillis(millis), Durations.parse(text));
  }
}
