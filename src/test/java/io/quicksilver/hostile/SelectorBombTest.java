package io.quicksilver.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/**
 * Regular-expression and template bombs of several shapes, sent by anonymous subscribers: each is refused (400;
 * {@code invalid_request} for draft-08 matchers) within two seconds, without holding an event loop, while a
 * bystander keeps being served within a second.
 */
@Timeout(120)
class SelectorBombTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("QS_ANONYMOUS", "true"));

  /** One hostile request: a GET query string, or a QUERY form body. */
  private record Bomb(String name, String query, String body) {
    HttpRequest request() {
      HttpRequest.Builder b = HttpRequest.newBuilder(hub.hub(query == null ? "" : "?" + query)).timeout(Duration.ofSeconds(10));
      if (body == null) {
        return b.GET().build();
      }
      return b.header("Content-Type", "application/x-www-form-urlencoded")
          .method("QUERY", HttpRequest.BodyPublishers.ofString(body)).build();
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Bomb pattern(String name, String pattern) {
    return new Bomb(name, "match_urlpattern=" + enc(pattern), null);
  }

  static List<Bomb> bombs() {
    String sixRepeats = IntStream.range(0, 6).mapToObj(i -> "/:p" + i + "(x{0,999})").collect(Collectors.joining());
    String queryBody = IntStream.range(0, 100).mapToObj(i -> "match_urlpattern=" + enc("/p" + i + "/:x(a{0,800})"))
        .collect(Collectors.joining("&"));
    String templates = IntStream.range(0, 1000).mapToObj(i -> "topic=" + enc("https://example.com/" + i + "/{x}/{+y}"))
        .collect(Collectors.joining("&"));
    return List.of(
        pattern("nested counted repetitions", "/:x((?:(?:a{1000}){1000}){20})"),
        pattern("repetition count over 1000", "/:x(a{1001})"),
        pattern("nested counts multiplying past 1000", "/:x((?:a{100}){11})"),
        pattern("counted alternation", "/:x((?:a|b|c|d|e|f|g|h|i|j){1000})"),
        pattern("many large repetitions", sixRepeats),
        pattern("deep nesting", "/:x(" + "(?:".repeat(200) + "a" + ")".repeat(200) + ")"),
        pattern("unicode class flood", "/:x(" + "[\\pL\\pN\\pS\\pP]".repeat(60) + ")"),
        pattern("character class flood", "/:x(" + "[ab]".repeat(1000) + ")"),
        new Bomb("QUERY body of 100 patterns", null, queryBody),
        new Bomb("template of 3000 expressions", "topic=" + enc("https://example.com/" + "{a}".repeat(3000)), null),
        new Bomb("1000 distinct templates", templates, null));
  }

  /** Verifies that every bomb is refused with 400 within two seconds, also when several arrive at once. */
  @Test
  void bombsAreRefusedQuickly() throws Exception {
    List<Bomb> bombs = bombs();
    try (Bystander bystander = Bystander.watch(hub); LoopLag lag = LoopLag.watch(hub.running().vertx(), 8)) {
      bystander.roundTrip(); // warm
      lag.reset();
      long baseline = bystander.baseline();
      long baselineLag = lag.worstMillis();
      lag.reset();
      bystander.start();
      ExecutorService attackers = Executors.newFixedThreadPool(4);
      List<Future<Long>> outcomes = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (Bomb bomb : bombs) {
          outcomes.add(attackers.submit(() -> {
            long started = System.nanoTime();
            HttpResponse<String> r = Http.send(bomb.request());
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(400, r.statusCode(), bomb.name() + ": " + r.body());
            assertTrue(millis < 2000, bomb.name() + " answered after " + millis + " ms");
            if (bomb.query() == null || bomb.query().startsWith("match")) {
              assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_request"),
                  bomb.name() + ": draft-08 matchers over budget are invalid_request");
            }
            return millis;
          }));
        }
      }
      long slowest = 0;
      for (Future<Long> outcome : outcomes) {
        slowest = Math.max(slowest, outcome.get(60, TimeUnit.SECONDS));
      }
      attackers.shutdown();
      long worst = bystander.stop();
      System.out.printf("selector bombs: slowest answer %d ms, bystander %d ms (%d ms before), event loop late %d ms (%d ms before)%n",
          slowest, worst, baseline, lag.worstMillis(), baselineLag);
      assertTrue(worst < Bystander.limit(baseline), "a bystander waited " + worst + " ms (" + baseline + " ms before the attack)");
      assertTrue(lag.worstMillis() < 500 + 2 * baselineLag, "an event loop was held " + lag.worstMillis() + " ms");
    }
  }

  /** Verifies that a complex pattern within the budget is served, quickly, and matches. */
  @Test
  void patternWithinBudgetIsServed() {
    long started = System.nanoTime();
    try (SseClient stream = SseClient.open(hub.hub("?match_urlpattern=" + enc("https://example.com/:x((?:ab){0,900})")))) {
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertEquals(200, stream.status(), stream.errorBody());
      assertTrue(millis < 2000, "answered after " + millis + " ms");
      Http.publish(hub, io.quicksilver.support.Tokens.publisher("*"), "topic", "https://example.com/" + "ab".repeat(900), "data", "x");
      assertEquals("x", stream.next().data());
    }
  }
}
