package io.quicksilver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Await;
import io.quicksilver.support.Http;
import io.quicksilver.support.HubProcess;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/**
 * The hub as a process is run in production: JSON logs with an access log that never shows a token, an idle hub
 * that exits 0 at once on SIGTERM instead of waiting out the drain window, and the network transport where io_uring
 * is refused.
 */
@Timeout(120)
class DeployedProcessTest {

  /** Verifies that every output line is one JSON object, requests are logged with their fields and no token, and an idle SIGTERM exits 0 promptly. */
  @Test
  void jsonLogsAndPromptIdleExit() {
    String token = Tokens.subscriber("*");
    try (HubProcess hub = HubProcess.start("json", Map.of("QS_LOG_FORMAT", "json", "QS_ACCESS_LOG", "true", "QS_DRAIN_WINDOW", "20s"))) {
      try (SseClient stream = SseClient.open(hub.hub("?topic=x&authorization=" + token))) {
        assertEquals(200, stream.status());
      }
      Http.get(hub.uri("/readyz"), Map.of("Authorization", "Bearer " + token));
      Await.until(hub::log, l -> l.contains("\"path\":\"/readyz\"") && l.contains("\"path\":\"/.well-known/mercure\""),
          Duration.ofSeconds(15), l -> "access log lines missing:\n" + l);

      long start = System.nanoTime();
      assertEquals(0, hub.terminate(30), "exit status after SIGTERM; log:\n" + hub.log());
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < 10_000, "an idle hub does not wait out its 20 s drain window: it took " + ms + " ms");

      String log = hub.log();
      assertFalse(log.contains(token), "a token reached the log");
      assertFalse(log.contains("authorization="), "a query string reached the log");
      List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
      assertTrue(lines.size() >= 4, log);
      for (String line : lines) {
        JsonObject o = new JsonObject(line); // one JSON object a line
        for (String field : List.of("timestamp", "level", "logger", "message")) {
          assertTrue(o.containsKey(field), field + " missing in " + line);
        }
      }
      JsonObject request = lines.stream().map(JsonObject::new).filter(o -> "/readyz".equals(o.getString("path"))).findFirst().orElseThrow();
      assertEquals("io.quicksilver.access", request.getString("logger"));
      assertEquals("GET", request.getString("method"));
      assertEquals(200, request.getInteger("status"));
      assertEquals("127.0.0.1", request.getString("client"));
      assertTrue(request.getLong("duration_ms") >= 0);
      assertTrue(request.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"), request.getString("timestamp"));
    }
  }

  /** The warm-up runs on a private hub before the hub listens: its line comes first and counts real work. */
  @Test
  void warmsUpBeforeListening() {
    try (HubProcess hub = HubProcess.start("warm", Map.of("QS_WARM_UP", "2s"))) {
      try (SseClient stream = SseClient.open(hub.hub("?topic=x"))) {
        assertEquals(200, stream.status());
      }
      String log = hub.log();
      Matcher warmUp = Pattern.compile("warm-up: (\\d+) publishes and (\\d+) streams opened").matcher(log);
      assertTrue(warmUp.find(), "no warm-up line:\n" + log);
      assertTrue(Long.parseLong(warmUp.group(1)) > 0 && Long.parseLong(warmUp.group(2)) > 0, log);
      assertTrue(warmUp.start() < log.indexOf("listening on"), "the warm-up ends before the hub listens:\n" + log);
      assertEquals(0, hub.terminate(30), "exit status after SIGTERM; log:\n" + hub.log());
    }
  }

  /**
   * Where io_uring is refused (here Netty is told to load no native code, as a container's seccomp profile would make
   * it fail): {@code auto} starts on NIO and says so; {@code io_uring} does not start, naming the key and the cause.
   */
  @Test
  void ioUringRefused() {
    List<String> refused = List.of("-Dio.netty.transport.noNative=true");
    try (HubProcess hub = HubProcess.start("auto-nio", Map.of("QS_TRANSPORT", "auto"), refused)) {
      try (SseClient stream = SseClient.open(hub.hub("?topic=x"))) {
        assertEquals(200, stream.status());
      }
      assertTrue(hub.log().contains("network transport: nio"), hub.log());
    }
    HubProcess.Exited exited = HubProcess.runToExit(Map.of("QS_TRANSPORT", "io_uring"), refused, 60);
    assertEquals(1, exited.status(), exited.output());
    assertTrue(exited.output().contains("http.transport is io_uring, which is not available here"), exited.output());
    assertTrue(exited.output().contains("noNative"), "the cause is named:\n" + exited.output());
    assertFalse(exited.output().contains("listening on"), exited.output());
  }
}
