package io.quicksilver.mercure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shortcut that answers "outside" without parsing never answers so for a topic the parser puts inside. */
class ReservedTopicsShortcutTest {

  private static final List<String> HUBS = List.of("https://example.com/.well-known/mercure", "https://example.com/hub/",
      "https://example.com/a/b/c", "https://example.com/", "http://127.0.0.1:8080/.well-known/mercure");
  private static final List<String> STARTS = List.of("https://", "http://", "HTTPS://", "foo://", "f1+.-://", "urn:", "", "//",
      "https:", "https:/", "1http://", ":", "mercure://", "https://\\\\");
  private static final List<String> HOSTS = List.of("example.com", "EXAMPLE.com:443", "user@example.com", "", "127.0.0.1:8080",
      "[::1]", "example.com.");
  private static final List<String> PIECES = List.of("/", "/", "/", ".well-known", "mercure", "MERCURE", "..", ".", "%2e", "%2E",
      "%6Dercure", "mer%63ure", "\\", "\t", "\n", " ", "?", "#", "x", "mer", "cure", "subscriptions", "hub", "a", "b", "c",
      "\u00e9", "\u007f", "\u0000", ";", "//");
  /** Spellings of a root's last segment that the parser turns into it, and some it does not. */
  private static final List<String> NAMES = List.of("mercure", "%6Dercure", "mer%63ure", "mer\tcure", "mer\ncure", "MERCURE",
      "mercure/../x", "hub", "h%75b", "h\tub", "c", "%63", "b/c", "b/./c", "b\\c");

  @Test
  void aTopicTakenForOutsideIsNeverInside() {
    Random random = new Random(20261207);
    int shortcuts = 0;
    for (String hub : HUBS) {
      ReservedTopics reserved = ReservedTopics.of(hub);
      for (int i = 0; i < 40_000; i++) {
        StringBuilder topic = new StringBuilder(STARTS.get(random.nextInt(STARTS.size())));
        topic.append(HOSTS.get(random.nextInt(HOSTS.size())));
        if (random.nextBoolean()) {
          topic.append(random.nextBoolean() ? "/.well-known/" : "/a/b/").append(NAMES.get(random.nextInt(NAMES.size())));
        } else {
          int pieces = random.nextInt(8);
          for (int p = 0; p < pieces; p++) {
            topic.append(PIECES.get(random.nextInt(PIECES.size())));
          }
        }
        String t = topic.toString();
        if (reserved.plainlyOutside(t)) {
          shortcuts++;
          assertFalse(reserved.resolve(t), () -> "taken for outside, but reserved under " + hub + ": " + t);
        }
      }
    }
    assertTrue(shortcuts > 10_000, "the shortcut answered for many topics: " + shortcuts);
  }

  @Test
  void reservedTopicsStillAnswerReserved() {
    ReservedTopics reserved = ReservedTopics.of("https://example.com/.well-known/mercure");
    assertTrue(reserved.contains("https://example.com/.well-known/mercure/subscriptions/x"));
    assertTrue(reserved.contains("https://other.example/.well-known/mercure"));
    assertTrue(reserved.contains(""), "the hub URL itself, as a relative reference");
    assertTrue(reserved.contains("https://example.com/.well-known/%6Dercure"));
    assertTrue(reserved.contains("https://example.com/.well-known/mer\tcure"), "the parser drops tabs");
    assertFalse(reserved.contains("https://example.com/books/1"));
  }
}
