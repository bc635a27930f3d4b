package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.stream.Fixtures.expectId;
import static io.quicksilver.stream.Fixtures.publish;
import static io.quicksilver.support.Topics.enc;
import static io.quicksilver.support.Topics.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Topics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;




/**
 * Pathological selectors cannot stall an event loop (draft-08 "URL-Pattern Denial of Service"): patterns and
 * templates that make a backtracking engine take exponential or high-polynomial time are matched in linear
 * time against long topics, and the other subscribers of the same loop keep receiving their updates.
 */
@Timeout(60)
class AdversarialMatcherTest {

  /**
   * Long enough that a backtracking engine would not finish {@code (a*)*b}-style matches in the test's life, and
   * within the longest topic a publisher may send.
   */
  private static final int TOPIC_LENGTH = 4000;
  private static final int ROUNDS = 10;

  /** Matching these selectors holds an event loop for up to a few hundred ms until selectors get a compile budget. */
  @RegisterExtension
  static final HubExtension hub = HubExtension.standard().tolerating(java.time.Duration.ofSeconds(2));

  /**
   * Verifies that a subscriber holding a pathological selector is matched against long non-matching topics
   * without delaying a bystander on the same loop, and still gets the one update it matches.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "topic={+a}{+b}{+c}{+d}{+e}{+f}!                           | https://example.com/ | https://example.com/x/y!",
      "topic={+a}{+a}{+a}{+a}{+a}{+a}{+a}{+a}!                   | https://example.com/ | https://example.com/x/y!",
      "topic=https://example.com/{+a}{+b}{+c}{+d}/{+e}{+f}!      | https://example.com/ | https://example.com/x/y!",
      "match_urlpattern=https://example.com/:a(a*)*:b(a*)*:c(a*)*\\! | https://example.com/ | https://example.com/aaa!",
      "match_urlpattern=https://example.com/*(.*)*(.*)*(.*)*\\!       | https://example.com/ | https://example.com/x/y!",
      "match_urlpattern=/:x(.*)*:y(.*)*(a+)+\\!                      | /                    | /xya!",
  })
  void pathologicalSelectorDoesNotStallOthers(String selector, String longPrefix, String matchingTopic) {
    String name = selector.substring(0, selector.indexOf('='));
    String value = selector.substring(selector.indexOf('=') + 1);
    String bystanderTopic = Topics.unique("bystander");
    try (SseClient adversary = SseClient.open(hub.hub("?" + name + "=" + enc(value)));
         SseClient bystander = SseClient.open(hub.hub("?topic=" + enc(bystanderTopic)))) {
      awaitOpen(adversary);
      awaitOpen(bystander);
      String longTopic = longPrefix + "a".repeat(TOPIC_LENGTH);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < ROUNDS; i++) {
        publish(hub, longTopic + i, "long " + i);
        ids.add(publish(hub, bystanderTopic, "bystander " + i));
      }
      for (int i = 0; i < ROUNDS; i++) {
        assertEquals("bystander " + i, expectId(bystander, ids.get(i)).data());
      }
      String matching = publish(hub, matchingTopic, "match");
      assertEquals("match", expectId(adversary, matching).data(), "no long topic matched; the control update did");
    }
  }
}
