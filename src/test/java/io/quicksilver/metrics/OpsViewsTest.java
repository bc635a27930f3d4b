package io.quicksilver.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;



/** The operations views of {@code ops/} (Grafana dashboard, Prometheus rules) use only metrics a running hub exposes. */
@Timeout(60)
class OpsViewsTest {

  private static final Path OPS = Path.of(System.getProperty("qs.project.dir", "."), "ops");
  private static final Pattern METRIC = Pattern.compile("\\b(?:quicksilver|mercure|vertx|jvm|process|system)_[a-z0-9_]+");

  /** Verifies that every metric name in the dashboard's and the rules' expressions is in a running hub's /metrics. */
  @Test
  void everyMetricNameExists() throws IOException {
    List<String> expressions = new ArrayList<>();
    JsonObject dashboard = new JsonObject(Files.readString(OPS.resolve("grafana").resolve("quicksilver-dashboard.json")));
    for (Object panel : dashboard.getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets", new JsonArray())) {
        expressions.add(((JsonObject) target).getString("expr"));
      }
    }
    for (Object variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
      expressions.add(((JsonObject) variable).getString("definition", ""));
    }
    Map<String, Object> rules = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(OPS.resolve("prometheus").resolve("alerts.yaml")));
    for (Object group : (List<?>) rules.get("groups")) {
      for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
        expressions.add((String) ((Map<?, ?>) rule).get("expr"));
      }
    }
    Set<String> used = new TreeSet<>();
    for (String e : expressions) {
      Matcher m = METRIC.matcher(e);
      while (m.find()) {
        used.add(m.group());
      }
    }
    assertTrue(used.size() > 15, "names found: " + used);

    try (TestHub hub = TestHub.start()) {
      // a publish, a subscription that ends, a few requests: every series the views use has appeared
      Http.publish(hub, Tokens.publisher("*"), "topic", "https://example.com/ops", "data", "x");
      Http.get(hub.uri("/healthz"), Map.of());
      Scrape scrape = Scrape.of(hub.uri("/metrics"));
      Set<String> exposed = used.stream().filter(scrape::has).collect(Collectors.toSet());
      Set<String> missing = new TreeSet<>(used);
      missing.removeAll(exposed);
      assertEquals(Set.of(), missing, "metrics used in ops/ but not exposed");
      assertFalse(exposed.isEmpty());
    }
  }
}
