package io.quicksilver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;



/** Byte size text such as {@code 1048576}, {@code 512KiB}, {@code 2MB}. */
class SizesTest {

  /** Verifies that plain byte counts and decimal and binary units parse. */
  @ParameterizedTest
  @CsvSource(quoteCharacter = '"', value = {
      "0, 0",
      "1048576, 1048576",
      "10B, 10",
      "1KB, 1000",
      "1kB, 1000",
      "2MB, 2000000",
      "3GB, 3000000000",
      "512KiB, 524288",
      "1MiB, 1048576",
      "4GiB, 4294967296",
      "\" 64KiB \", 65536",
      "10 KiB, 10240"})
  void parses(String text, long bytes) {
    assertEquals(bytes, Sizes.parse(text));
  }

  /** Verifies that text that is not a size, or a size too large for a long, is refused with IllegalArgumentException. */
  @ParameterizedTest
  @ValueSource(strings = {"", "KiB", "-1", "+1", "1.5MiB", "1mib", "1kib", "1TB", "1 K", "1b", "0x10", "1KiB1",
      "1234567890123456", "999999999999999GiB", "99999999999999GB"})
  void refuses(String text) {
    assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
  }
}
