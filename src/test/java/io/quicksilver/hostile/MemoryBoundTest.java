package io.quicksilver.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubProcess;
import io.quicksilver.support.Tokens;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/**
 * What used to exhaust the heap, against a hub in its own JVM with a 256 MiB heap: regexp bombs, a history of
 * large updates, bodies of tiny fields. The hub answers each, stays alive, and its resident memory stays bounded.
 */
@Timeout(120)
class MemoryBoundTest {

  /** Far above what the JVM itself takes with a 256 MiB heap, far below what the attacks took unbounded. */
  private static final long MAX_RSS_KIB = 768 * 1024;

  private static HubProcess hub;

  @BeforeAll
  static void startHub() {
    hub = HubProcess.start("memory", Map.of("QS_HISTORY_MAX_BYTES", "16MiB", "QS_ANONYMOUS", "true"));
  }

  @AfterAll
  static void stopHub() {
    hub.close();
  }

  /** The hub process's resident set, in KiB. */
  private static long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + hub.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS");
  }

  private static void assertAliveAndBounded(String after) throws IOException {
    assertTrue(hub.alive(), "the hub is alive after " + after);
    assertEquals(200, Http.get(hub.uri("/healthz"), Map.of()).statusCode(), "the hub answers after " + after);
    long rss = rssKib();
    System.out.printf("memory: RSS %d MiB after %s%n", rss / 1024, after);
    assertTrue(rss < MAX_RSS_KIB, "RSS " + rss / 1024 + " MiB after " + after);
  }

  /** Verifies that twenty concurrent regexp bombs (each once worth gigabytes of program) are refused, cheaply. */
  @Test
  void regexpBombs() throws Exception {
    String bomb = "?match_urlpattern=" + URLEncoder.encode("/:x((?:(?:a{1000}){1000}){20})", StandardCharsets.UTF_8);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(pool.submit(() -> Http.get(hub.hub(bomb), Map.of()).statusCode()));
    }
    for (Future<Integer> answer : answers) {
      assertEquals(400, answer.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertAliveAndBounded("20 regexp bombs");
  }

  /** Verifies that 300 updates of about 900 KB (270 MB, more than the heap) leave a history bounded in bytes. */
  @Test
  void historyOfLargeUpdates() throws Exception {
    String token = Tokens.publisher("*");
    String data = "d".repeat(900_000);
    for (int i = 0; i < 300; i++) {
      HttpRequest request = HttpRequest.newBuilder(hub.hub("")).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.ofString("topic=urn:quicksilver:large&data=" + data)).build();
      HttpResponse<String> r = Http.send(request);
      assertEquals(200, r.statusCode(), r.body());
    }
    assertAliveAndBounded("270 MB of updates");
  }

  /** Verifies that bodies made of tiny fields are refused before they are decoded. */
  @Test
  void bodiesOfTinyFields() throws Exception {
    String token = Tokens.publisher("*");
    String body = "topic=x&" + "a&".repeat(500_000);
    for (int i = 0; i < 20; i++) {
      assertEquals(413, Http.post(hub.hub(""), token, body).statusCode());
    }
    assertAliveAndBounded("20 bodies of tiny fields");
  }
}
