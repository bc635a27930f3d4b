package io.quicksilver.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.quicksilver.config.ConfigLoader;
import io.quicksilver.config.HubConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;



/**
 * The Helm chart in {@code helm/quicksilver}: {@code helm lint --strict} and {@code helm template} run in-process
 * (helm-java), the rendered objects are parsed and checked, and the rendered configuration is loaded by the hub's
 * own {@link ConfigLoader} so that the chart cannot drift from the configuration keys the hub knows.
 */
@Timeout(180)
class HelmChartTest {

  private static final Path CHART = Path.of(System.getProperty("qs.project.dir", "."), "helm", "quicksilver");
  private static final String RELEASE = "qs";
  private static final String NAMESPACE = "hubs";
  private static final String FULLNAME = "qs-quicksilver";
  private static final String DEV_KEY = "!ChangeThisQuicksilverDevelopmentKey!";
  /** Variables the chart sets for hub features being added elsewhere; checked by ConfigLoader once it knows them. */

  @TempDir
  Path tmp;

  /** Verifies that helm lint --strict passes on the chart with its default values. */
  @Test
  void lintStrictIsClean() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
    assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
        () -> String.join("\n", result.getMessages()));
  }

  /** Verifies that the default values render one standalone hub with both probes, a safe rollout and a hardened pod. */
  @Test
  void defaultsRenderAStandaloneHubWithProbes() {
    List<Map<String, Object>> docs = render(Map.of());
    Map<String, Object> deployment = one(docs, "Deployment", FULLNAME);
    assertEquals(1, (Object) at(deployment, "spec.replicas"));
    Map<String, Object> hub = container(deployment);
    assertEquals("/healthz", at(hub, "livenessProbe.httpGet.path"));
    assertEquals("/readyz", at(hub, "readinessProbe.httpGet.path"));
    assertEquals("/healthz", at(hub, "startupProbe.httpGet.path"));
    assertEquals("http", at(hub, "readinessProbe.httpGet.port"));
    assertEquals(8080, port(hub, "http"));
    assertEquals("quicksilver:0.1.0", hub.get("image"));

    assertEquals(0, (Object) at(deployment, "spec.strategy.rollingUpdate.maxUnavailable"));
    assertEquals(1, (Object) at(deployment, "spec.strategy.rollingUpdate.maxSurge"));

    Map<String, Object> env = env(hub);
    assertEquals("0.0.0.0", value(env, "QS_HTTP_HOST"));
    assertEquals("false", value(env, "QS_CLUSTER"));
    assertFalse(env.containsKey("QS_REDIS_URL"), "no Redis by default: history in memory");
    assertFalse(env.containsKey("QS_CLUSTER_KUBERNETES_SERVICE"));

    assertEquals(true, at(deployment, "spec.template.spec.securityContext.runAsNonRoot"));
    assertEquals(true, at(hub, "securityContext.readOnlyRootFilesystem"));
    assertEquals(false, at(hub, "securityContext.allowPrivilegeEscalation"));
    assertEquals("/tmp", mountPath(hub, "tmp"));
    assertNotNull(volume(deployment, "tmp").get("emptyDir"), "/tmp is an emptyDir");
    List<Map<String, Object>> preferred = at(deployment,
        "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution");
    assertEquals("kubernetes.io/hostname", at(preferred.get(0), "podAffinityTerm.topologyKey"));

    for (String kind : List.of("Service", "ConfigMap", "Secret", "PodDisruptionBudget", "ServiceAccount")) {
      assertFalse(all(docs, kind).isEmpty(), kind);
    }
    assertTrue(all(docs, "StatefulSet").isEmpty(), "no bundled Redis by default");
    assertTrue(all(docs, "Ingress").isEmpty(), "no Ingress by default");
    assertTrue(all(docs, "HorizontalPodAutoscaler").isEmpty(), "no HPA by default");
    assertTrue(all(docs, "ServiceMonitor").isEmpty(), "no ServiceMonitor by default");
  }

  /** Verifies that the grace period is derived larger than the preStop pause plus the drain window passed to the hub, and follows them. */
  @Test
  void terminationGracePeriodExceedsTheDrainWindow() {
    for (Map<String, Object> values : List.of(Map.<String, Object>of(), Map.<String, Object>of("drain.windowSeconds", 45),
        Map.<String, Object>of("terminationGracePeriodSeconds", 31), Map.<String, Object>of("preStop.seconds", 0))) {
      Map<String, Object> deployment = one(render(values), "Deployment", FULLNAME);
      int grace = at(deployment, "spec.template.spec.terminationGracePeriodSeconds");
      String window = value(env(container(deployment)), "QS_DRAIN_WINDOW");
      assertTrue(window.matches("\\d+s"), window);
      int windowSeconds = Integer.parseInt(window.substring(0, window.length() - 1));
      List<String> sleep = at(container(deployment), "lifecycle.preStop.exec.command");
      int pause = sleep == null ? 0 : Integer.parseInt(sleep.get(1));
      assertTrue(grace > pause + windowSeconds, values + ": grace " + grace + " <= preStop " + pause + " + drain window " + windowSeconds);
    }
    assertEquals(65, (int) at(one(render(Map.of("drain.windowSeconds", 45)), "Deployment", FULLNAME),
        "spec.template.spec.terminationGracePeriodSeconds"));
    assertNull(at(container(one(render(Map.of("preStop.seconds", 0)), "Deployment", FULLNAME)), "lifecycle"));
  }

  /** Verifies that a grace period not larger than the drain window fails rendering with a message naming both. */
  @Test
  void gracePeriodNotAboveDrainWindowFailsRendering() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> render(Map.of("terminationGracePeriodSeconds", 30, "drain.windowSeconds", 20)));
    assertTrue(e.getMessage().contains("terminationGracePeriodSeconds") && e.getMessage().contains("drain.windowSeconds"),
        e.getMessage());
  }

  /** Verifies that the headless discovery Service publishes every pod (ready or not) on the Hazelcast port. */
  @Test
  void headlessServiceServesHazelcastDiscovery() {
    List<Map<String, Object>> docs = render(Map.of());
    Map<String, Object> headless = one(docs, "Service", FULLNAME + "-headless");
    assertEquals("None", at(headless, "spec.clusterIP"));
    assertEquals(true, at(headless, "spec.publishNotReadyAddresses"));
    List<Map<String, Object>> ports = at(headless, "spec.ports");
    assertEquals(1, ports.size());
    assertEquals(5701, ports.get(0).get("port"));
    assertEquals("hazelcast", ports.get(0).get("name"));
    Map<String, Object> deployment = one(docs, "Deployment", FULLNAME);
    assertEquals((Object) at(deployment, "spec.selector.matchLabels"), (Object) at(headless, "spec.selector"));

    Map<String, Object> client = one(docs, "Service", FULLNAME);
    assertNull(at(client, "spec.clusterIP"));
    List<Map<String, Object>> clientPorts = at(client, "spec.ports");
    assertEquals(80, clientPorts.get(0).get("port"));
    assertEquals("http", clientPorts.get(0).get("targetPort"));
  }

  /** Verifies that the JWT keys reach the hub only through secretKeyRefs to the chart's Secret, which holds each referenced key. */
  @Test
  void secretsAreReferencedFromTheChartSecret() {
    List<Map<String, Object>> docs = render(Map.of("secrets.publisherJwtKey", "pub-key-0123456789abcdef0123456789abcdef",
        "secrets.subscriberJwtKey", "sub-key-0123456789abcdef0123456789abcdef", "secrets.sessionSecret", "session-0123456789"));
    Map<String, Object> secret = one(docs, "Secret", FULLNAME);
    Map<String, String> data = decode(secret);
    assertEquals("pub-key-0123456789abcdef0123456789abcdef", data.get("publisher-jwt-key"));
    assertEquals("sub-key-0123456789abcdef0123456789abcdef", data.get("subscriber-jwt-key"));
    assertEquals("session-0123456789", data.get("session-secret"));

    Map<String, Object> env = env(container(one(docs, "Deployment", FULLNAME)));
    for (String name : List.of("MERCURE_PUBLISHER_JWT_KEY", "MERCURE_SUBSCRIBER_JWT_KEY", "QS_SESSION_SECRET")) {
      assertEquals(FULLNAME, secretRef(env, name).get("name"), name);
    }
    assertEquals("publisher-jwt-key", secretRef(env, "MERCURE_PUBLISHER_JWT_KEY").get("key"));
    assertEquals("subscriber-jwt-key", secretRef(env, "MERCURE_SUBSCRIBER_JWT_KEY").get("key"));
    for (Map<String, Object> ref : secretRefs(env)) {
      assertEquals(FULLNAME, ref.get("name"));
      assertTrue(Boolean.TRUE.equals(ref.get("optional")) || data.containsKey((String) ref.get("key")),
          "the Secret holds every required key: " + ref);
    }
  }

  /** Verifies that with existingSecret no Secret is rendered and every secretKeyRef names the existing Secret. */
  @Test
  void existingSecretIsReferencedAndNoSecretRendered() {
    List<Map<String, Object>> docs = render(Map.of("existingSecret", "mercure-keys", "replicaCount", 2,
        "redis.urlFromExistingSecret", true));
    assertTrue(all(docs, "Secret").isEmpty(), "no Secret object with existingSecret");
    Map<String, Object> deployment = one(docs, "Deployment", FULLNAME);
    Map<String, Object> env = env(container(deployment));
    List<Map<String, Object>> refs = secretRefs(env);
    assertTrue(refs.size() >= 3, refs.toString());
    for (Map<String, Object> ref : refs) {
      assertEquals("mercure-keys", ref.get("name"), ref.toString());
    }
    assertEquals("redis-url", secretRef(env, "QS_REDIS_URL").get("key"));
    assertNull(at(deployment, "spec.template.metadata.annotations.checksum/secret"));
    assertTrue(docs.stream().noneMatch(d -> String.valueOf(d).contains(DEV_KEY)), "no development key anywhere");
  }

  /** Verifies that no secret value (JWT keys, session secret, Redis URL or password) appears in any ConfigMap or plain env value. */
  @Test
  void noSecretValueInConfigMapsOrPlainEnv() throws IOException {
    String pub = "publisher-SECRET-7f3a9c2e1b4d8f6a0c5e9b3d7f1a2c4e";
    String sub = "subscriber-SECRET-2c4e7f3a9c2e1b4d8f6a0c5e9b3d7f1a";
    String session = "session-SECRET-9b3d7f1a2c4e7f3a";
    String redisPassword = "redisPASSWORD9b3d7f1a";
    String redisUrl = "redis://:urlPASSWORD1234@redis.example.internal:6379/0";
    List<String> secrets = List.of(pub, sub, session, redisPassword, "urlPASSWORD1234", DEV_KEY);
    List<List<Map<String, Object>>> renders = List.of(
        render(Map.of()),
        render(Map.of("secrets.publisherJwtKey", pub, "secrets.subscriberJwtKey", sub, "secrets.sessionSecret", session,
            "replicaCount", 3, "redis.url", redisUrl)),
        render(Map.of("secrets.publisherJwtKey", pub, "secrets.subscriberJwtKey", sub, "replicaCount", 2,
            "redis.bundled.enabled", true, "redis.bundled.auth.enabled", true, "redis.bundled.auth.password", redisPassword)),
        renderFile("config:\n  ui: true\n  demo:\n    enabled: true\nsecrets:\n  sessionSecret: " + session + "\n"));
    for (List<Map<String, Object>> docs : renders) {
      List<Map<String, Object>> configMaps = all(docs, "ConfigMap");
      assertFalse(configMaps.isEmpty());
      for (Map<String, Object> cm : configMaps) {
        String text = new Yaml().dump(cm);
        for (String s : secrets) {
          assertFalse(text.contains(s), "ConfigMap " + at(cm, "metadata.name") + " holds a secret: " + s);
        }
        assertFalse(text.contains("publisher_key") || text.contains("subscriber_key") || text.contains("session_secret")
            || text.contains("redis_url") || text.contains("users"), "no secret keys in the ConfigMap:\n" + text);
      }
      for (Map<String, Object> workload : union(all(docs, "Deployment"), all(docs, "StatefulSet"))) {
        List<Map<String, Object>> containers = at(workload, "spec.template.spec.containers");
        for (Map<String, Object> c : containers) {
          for (Object value : env(c).values()) {
            if (value instanceof String plain) {
              for (String s : secrets) {
                assertFalse(plain.contains(s), "plain env value holds a secret: " + plain);
              }
            }
          }
        }
      }
    }
  }

  /** Verifies that bundled Redis with three replicas renders a persistent redis:7 StatefulSet and a Hazelcast cluster found through the headless Service. */
  @Test
  void bundledRedisClusterOfThree() {
    List<Map<String, Object>> docs = render(Map.of("replicaCount", 3, "redis.bundled.enabled", true));
    Map<String, Object> deployment = one(docs, "Deployment", FULLNAME);
    assertEquals(3, (Object) at(deployment, "spec.replicas"));
    Map<String, Object> hub = container(deployment);
    Map<String, Object> env = env(hub);
    assertEquals("true", value(env, "QS_CLUSTER"));
    assertEquals("status.podIP", at(asMap(env.get("QS_CLUSTER_HOST")), "fieldRef.fieldPath"));
    assertEquals(FULLNAME + "-headless." + NAMESPACE + ".svc.cluster.local", value(env, "QS_CLUSTER_KUBERNETES_SERVICE"));
    assertEquals("5701", value(env, "QS_CLUSTER_PORT"));
    assertEquals("redis://" + FULLNAME + "-redis:6379", value(env, "QS_REDIS_URL"));
    assertEquals(5701, port(hub, "hazelcast"));

    Map<String, Object> redis = one(docs, "StatefulSet", FULLNAME + "-redis");
    assertEquals(1, (Object) at(redis, "spec.replicas"));
    List<Map<String, Object>> redisContainers = at(redis, "spec.template.spec.containers");
    Map<String, Object> rc = redisContainers.get(0);
    assertEquals("redis:7", rc.get("image"));
    assertTrue(String.valueOf(rc.get("args")).contains("--appendonly yes"), String.valueOf(rc.get("args")));
    List<Map<String, Object>> claims = at(redis, "spec.volumeClaimTemplates");
    assertEquals("data", at(claims.get(0), "metadata.name"));
    assertEquals("1Gi", at(claims.get(0), "spec.resources.requests.storage"));
    Map<String, Object> redisService = one(docs, "Service", FULLNAME + "-redis");
    List<Map<String, Object>> ports = at(redisService, "spec.ports");
    assertEquals(6379, ports.get(0).get("port"));
    assertEquals((Object) at(redis, "spec.selector.matchLabels"), (Object) at(redisService, "spec.selector"));
    assertFalse(at(redis, "spec.selector.matchLabels").equals(at(deployment, "spec.selector.matchLabels")),
        "hub and Redis pods have distinct selectors");
  }

  /** Verifies that the replica count comes from values, and an external Redis URL travels through the Secret. */
  @Test
  void replicaCountFromValuesWithExternalRedis() {
    List<Map<String, Object>> docs = render(Map.of("replicaCount", 5, "redis.url", "redis://redis.example.internal:6379"));
    Map<String, Object> deployment = one(docs, "Deployment", FULLNAME);
    assertEquals(5, (Object) at(deployment, "spec.replicas"));
    Map<String, Object> env = env(container(deployment));
    assertEquals(Map.of("name", FULLNAME, "key", "redis-url"), secretRef(env, "QS_REDIS_URL"));
    assertEquals("redis://redis.example.internal:6379", decode(one(docs, "Secret", FULLNAME)).get("redis-url"));
    assertEquals("true", value(env, "QS_CLUSTER"));
    assertTrue(all(docs, "StatefulSet").isEmpty());
  }

  /** Verifies that three replicas without any Redis fail rendering with a message that says Redis is needed. */
  @Test
  void clusterWithoutRedisFailsRendering() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> render(Map.of("replicaCount", 3)));
    assertTrue(e.getMessage().contains("needs Redis") && e.getMessage().contains("redis.bundled.enabled"), e.getMessage());
    IllegalStateException hpa = assertThrows(IllegalStateException.class, () -> render(Map.of("autoscaling.enabled", true)));
    assertTrue(hpa.getMessage().contains("needs Redis"), hpa.getMessage());
  }

  /** Verifies that the schema rejects a misspelt top-level key, a misspelt hub configuration key and a secret put in the config block. */
  @Test
  void schemaRejectsTypos() {
    IllegalStateException top = assertThrows(IllegalStateException.class, () -> render(Map.of("replicCount", 3)));
    assertTrue(top.getMessage().contains("replicCount"), top.getMessage());
    IllegalStateException nested = assertThrows(IllegalStateException.class, () -> render(Map.of("config.heartbaet", "40s")));
    assertTrue(nested.getMessage().contains("heartbaet"), nested.getMessage());
    IllegalStateException secret = assertThrows(IllegalStateException.class,
        () -> render(Map.of("config.jwt.publisher_key", "leaked")));
    assertTrue(secret.getMessage().contains("publisher_key"), secret.getMessage());
    IllegalStateException type = assertThrows(IllegalStateException.class, () -> render(Map.of("replicaCount", "many")));
    assertTrue(type.getMessage().contains("replicaCount"), type.getMessage());
  }

  /** Verifies that the history's key prefix is the hub's default, and that values written with its former name still set it. */
  @Test
  void redisPrefixUnderItsNewAndFormerName() throws IOException {
    Map<String, String> keys = Map.of("MERCURE_PUBLISHER_JWT_KEY", DEV_KEY, "MERCURE_SUBSCRIBER_JWT_KEY", DEV_KEY);
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("", "quicksilver");
    cases.put("config.history.redis_prefix", "qs-new");
    cases.put("config.history.redis_stream", "qs-former");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      List<Map<String, Object>> docs = render(c.getKey().isEmpty() ? Map.of() : Map.of(c.getKey(), c.getValue()));
      String yaml = at(one(docs, "ConfigMap", FULLNAME + "-config"), "data.quicksilver.yaml");
      Path file = Files.writeString(tmp.resolve("quicksilver.yaml"), yaml, StandardCharsets.UTF_8);
      assertEquals(c.getValue(), ConfigLoader.load(keys, file).history().redisPrefix(), c.getKey());
    }
  }

  /** Verifies that the Ingress carries the annotations that keep SSE streams unbuffered and open, user annotations winning. */
  @Test
  void ingressHasAntiBufferingAnnotations() {
    List<Map<String, Object>> docs = renderFile("""
        ingress:
          enabled: true
          className: nginx
          annotations:
            nginx.ingress.kubernetes.io/proxy-send-timeout: "7200"
            cert-manager.io/cluster-issuer: letsencrypt
          hosts:
            - host: hub.example.org
              paths:
                - path: /
                  pathType: Prefix
          tls:
            - secretName: hub-tls
              hosts: [hub.example.org]
        """);
    Map<String, Object> ingress = one(docs, "Ingress", FULLNAME);
    Map<String, Object> annotations = at(ingress, "metadata.annotations");
    assertEquals("off", annotations.get("nginx.ingress.kubernetes.io/proxy-buffering"));
    assertEquals("3600", annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout"));
    assertEquals("7200", annotations.get("nginx.ingress.kubernetes.io/proxy-send-timeout"));
    assertEquals("letsencrypt", annotations.get("cert-manager.io/cluster-issuer"));
    assertEquals("nginx", at(ingress, "spec.ingressClassName"));
    List<Map<String, Object>> rules = at(ingress, "spec.rules");
    assertEquals("hub.example.org", rules.get(0).get("host"));
    List<Map<String, Object>> paths = at(rules.get(0), "http.paths");
    assertEquals(FULLNAME, at(paths.get(0), "backend.service.name"));
    assertEquals("http", at(paths.get(0), "backend.service.port.name"));
    List<Map<String, Object>> tls = at(ingress, "spec.tls");
    assertEquals("hub-tls", tls.get(0).get("secretName"));
  }

  /** Verifies that the pods run under their own ServiceAccount with no API token and no RBAC (DNS discovery needs none). */
  @Test
  void noRbacAndNoServiceAccountToken() {
    List<Map<String, Object>> docs = render(Map.of("replicaCount", 3, "redis.bundled.enabled", true));
    Map<String, Object> account = one(docs, "ServiceAccount", FULLNAME);
    assertEquals(false, account.get("automountServiceAccountToken"));
    Map<String, Object> deployment = one(docs, "Deployment", FULLNAME);
    assertEquals(FULLNAME, at(deployment, "spec.template.spec.serviceAccountName"));
    assertEquals(false, at(deployment, "spec.template.spec.automountServiceAccountToken"));
    for (String kind : List.of("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding")) {
      assertTrue(all(docs, kind).isEmpty(), kind);
    }
  }

  /**
   * Verifies that /metrics is on its own port by default, behind its own Service that the ServiceMonitor scrapes, and
   * never on the client Service (nor so the Ingress); with port 0 it is on http.
   */
  @Test
  void metricsPortAndServiceMonitor() {
    List<Map<String, Object>> separate = render(Map.of("metrics.serviceMonitor.enabled", true, "ingress.enabled", true));
    Map<String, Object> hub = container(one(separate, "Deployment", FULLNAME));
    assertEquals(9090, port(hub, "metrics"));
    assertEquals("9090", value(env(hub), "QS_METRICS_PORT"));
    List<Map<String, Object>> clientPorts = at(one(separate, "Service", FULLNAME), "spec.ports");
    assertEquals(List.of("http"), clientPorts.stream().map(p -> p.get("name")).toList(), "the client Service carries http only");
    Map<String, Object> metricsService = one(separate, "Service", FULLNAME + "-metrics");
    assertEquals("ClusterIP", at(metricsService, "spec.type"));
    List<Map<String, Object>> metricsPorts = at(metricsService, "spec.ports");
    assertEquals(List.of(Map.of("name", "metrics", "port", 9090, "targetPort", "metrics", "protocol", "TCP")), metricsPorts);
    String ingress = new Yaml().dump(one(separate, "Ingress", FULLNAME));
    assertFalse(ingress.contains("metrics") || ingress.contains("9090"), ingress);
    assertTrue(ingress.contains("name: " + FULLNAME + "\n"), "the Ingress routes to the client Service");
    Map<String, Object> monitor = one(separate, "ServiceMonitor", FULLNAME);
    assertEquals("monitoring.coreos.com/v1", monitor.get("apiVersion"));
    List<Map<String, Object>> endpoints = at(monitor, "spec.endpoints");
    assertEquals("metrics", endpoints.get(0).get("port"));
    assertEquals("/metrics", endpoints.get(0).get("path"));
    Map<String, Object> selector = at(monitor, "spec.selector.matchLabels");
    for (Map<String, Object> service : all(separate, "Service")) {
      Map<String, Object> labels = at(service, "metadata.labels");
      assertEquals(service == metricsService, labels.entrySet().containsAll(selector.entrySet()), "selects only the metrics Service");
    }

    List<Map<String, Object>> shared = render(Map.of("metrics.serviceMonitor.enabled", true, "metrics.port", 0));
    List<Map<String, Object>> sharedEndpoints = at(one(shared, "ServiceMonitor", FULLNAME), "spec.endpoints");
    assertEquals("http", sharedEndpoints.get(0).get("port"));
    assertFalse(env(container(one(shared, "Deployment", FULLNAME))).containsKey("QS_METRICS_PORT"));
    assertTrue(all(shared, "Service").stream().noneMatch(svc -> (FULLNAME + "-metrics").equals(at(svc, "metadata.name"))));
  }

  /**
   * Verifies that the Grafana dashboard ConfigMap (labelled for the sidecar) and the PrometheusRule are off by default and,
   * when on, carry exactly the repository's ops/ files.
   */
  @Test
  void grafanaDashboardAndPrometheusRule() throws IOException {
    Path ops = CHART.resolve("..").resolve("..").resolve("ops");
    String dashboard = Files.readString(ops.resolve("grafana").resolve("quicksilver-dashboard.json"));
    String rules = Files.readString(ops.resolve("prometheus").resolve("alerts.yaml"));
    assertEquals(dashboard, Files.readString(CHART.resolve("files").resolve("grafana-dashboard.json")), "the chart's copy of the dashboard");
    assertEquals(rules, Files.readString(CHART.resolve("files").resolve("alerts.yaml")), "the chart's copy of the rules");

    List<Map<String, Object>> defaults = render(Map.of());
    assertTrue(all(defaults, "PrometheusRule").isEmpty());
    assertTrue(all(defaults, "ConfigMap").stream().noneMatch(cm -> ((String) at(cm, "metadata.name")).endsWith("grafana-dashboard")));

    List<Map<String, Object>> docs = render(Map.of("metrics.grafanaDashboard.enabled", true, "metrics.grafanaDashboard.namespace", "monitoring",
        "metrics.prometheusRule.enabled", true, "metrics.prometheusRule.labels.release", "kube-prometheus-stack"));
    Map<String, Object> cm = one(docs, "ConfigMap", FULLNAME + "-grafana-dashboard");
    assertEquals("monitoring", at(cm, "metadata.namespace"));
    assertEquals("1", at(cm, "metadata.labels.grafana_dashboard"));
    assertEquals(new JsonObject(dashboard), new JsonObject((String) at(cm, "data.quicksilver-dashboard.json")));
    Map<String, Object> rule = one(docs, "PrometheusRule", FULLNAME);
    assertEquals("monitoring.coreos.com/v1", rule.get("apiVersion"));
    assertEquals("kube-prometheus-stack", at(rule, "metadata.labels.release"));
    Object expected = new Yaml(new SafeConstructor(new LoaderOptions())).load(rules);
    assertEquals(expected, rule.get("spec"));
    List<Map<String, Object>> alerts = at(rule, "spec.groups");
    List<Map<String, Object>> groupRules = at(alerts.get(0), "rules");
    List<String> names = groupRules.stream().map(r -> (String) r.get("alert")).toList();
    assertTrue(names.containsAll(List.of("QuicksilverLostUpdates", "QuicksilverGapFills", "QuicksilverSlowSubscriberDisconnects",
        "QuicksilverStoreDown", "QuicksilverDrainStuck")), names.toString());
  }

  /** Verifies that autoscaling renders an autoscaling/v2 HPA on the Deployment, which then leaves replicas to it. */
  @Test
  void autoscalingRendersHpa() {
    List<Map<String, Object>> docs = render(Map.of("autoscaling.enabled", true, "redis.bundled.enabled", true));
    Map<String, Object> hpa = one(docs, "HorizontalPodAutoscaler", FULLNAME);
    assertEquals("autoscaling/v2", hpa.get("apiVersion"));
    assertEquals(FULLNAME, at(hpa, "spec.scaleTargetRef.name"));
    assertEquals(2, (Object) at(hpa, "spec.minReplicas"));
    Map<String, Object> deployment = one(docs, "Deployment", FULLNAME);
    assertNull(at(deployment, "spec.replicas"));
    assertEquals("true", value(env(container(deployment)), "QS_CLUSTER"));
    assertEquals(1, (Object) at(one(docs, "PodDisruptionBudget", FULLNAME), "spec.maxUnavailable"));
  }

  /** Verifies that the mounted ConfigMap file plus the Deployment's environment load in the hub's own ConfigLoader as a Kubernetes cluster node. */
  @Test
  void renderedConfigurationLoadsInTheHub() throws IOException {
    List<Map<String, Object>> docs = render(Map.of("replicaCount", 3, "redis.bundled.enabled", true,
        "redis.bundled.auth.enabled", true, "redis.bundled.auth.password", "s3cretPassw0rd",
        "secrets.publisherJwtKey", "publisher-0123456789abcdef0123456789abcdef",
        "secrets.subscriberJwtKey", "subscriber-0123456789abcdef0123456789abcdef"));
    Map<String, Object> deployment = one(docs, "Deployment", FULLNAME);
    Map<String, Object> hub = container(deployment);
    Map<String, String> secret = decode(one(docs, "Secret", FULLNAME));

    // The ConfigMap mounted where QS_CONFIG points.
    Map<String, Object> env = env(hub);
    String configPath = value(env, "QS_CONFIG");
    String mount = mountPath(hub, "config");
    assertTrue(configPath.startsWith(mount + "/"), configPath + " under " + mount);
    String configMapName = at(volume(deployment, "config"), "configMap.name");
    Map<String, Object> configMap = one(docs, "ConfigMap", configMapName);
    String fileName = configPath.substring(mount.length() + 1);
    String yaml = at(configMap, "data." + fileName);
    assertNotNull(yaml, "the ConfigMap holds " + fileName);
    Path file = Files.writeString(tmp.resolve(fileName), yaml, StandardCharsets.UTF_8);

    // The environment as the kubelet would build it.
    Map<String, String> resolved = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : env.entrySet()) {
      Object v = e.getValue();
      String text;
      if (v instanceof String s) {
        text = expand(s, resolved);
      } else if (at(asMap(v), "secretKeyRef") != null) {
        Map<String, Object> ref = at(asMap(v), "secretKeyRef");
        text = secret.get((String) ref.get("key"));
        if (text == null) {
          assertEquals(true, ref.get("optional"), "missing Secret key " + ref);
          continue;
        }
      } else {
        assertEquals("status.podIP", at(asMap(v), "fieldRef.fieldPath"), e.getKey());
        text = "10.1.2.3";
      }
      resolved.put(e.getKey(), text);
    }
    // what the kubelet would add for the release's Services if service links were on: never fatal
    for (String service : List.of("QS_QUICKSILVER", "QS_QUICKSILVER_REDIS")) {
      resolved.put(service + "_SERVICE_HOST", "10.96.0.12");
      resolved.put(service + "_SERVICE_PORT", "80");
      resolved.put(service + "_SERVICE_PORT_HTTP", "80");
      resolved.put(service + "_PORT", "tcp://10.96.0.12:80");
      resolved.put(service + "_PORT_80_TCP", "tcp://10.96.0.12:80");
      resolved.put(service + "_PORT_80_TCP_PROTO", "tcp");
      resolved.put(service + "_PORT_80_TCP_PORT", "80");
      resolved.put(service + "_PORT_80_TCP_ADDR", "10.96.0.12");
    }
    HubConfig config = ConfigLoader.load(resolved, file);
    assertEquals(1, config.server().eventLoops());
    assertFalse(config.ops().readinessRequiresRedis());
    assertEquals("text", config.logging().format());
    assertEquals("0.0.0.0", config.http().host());
    assertEquals(port(hub, "http"), config.http().port());
    assertTrue(config.cluster().enabled());
    assertEquals("10.1.2.3", config.cluster().host());
    assertEquals(port(hub, "hazelcast"), config.cluster().port());
    assertEquals(port(hub, "eventbus"), config.cluster().busPort());
    assertEquals(FULLNAME + "-headless.hubs.svc.cluster.local", config.cluster().kubernetesService());
    assertEquals("redis://:s3cretPassw0rd@" + FULLNAME + "-redis:6379", config.history().redisUrl());
    assertFalse(config.demo().enabled());
    assertEquals(Duration.ofSeconds(40), config.stream().heartbeat());
    assertEquals(resolved.get("QS_DRAIN_WINDOW"), config.ops().drainWindow().toSeconds() + "s");
    assertEquals(port(hub, "metrics"), config.ops().metricsPort(), "metrics on their own port by default");
    assertTrue(config.ops().metricsPort() != config.http().port());
    List<Map<String, Object>> headlessPorts = at(one(docs, "Service", FULLNAME + "-headless"), "spec.ports");
    assertEquals(config.cluster().port(), headlessPorts.get(0).get("port"));
  }

  /** Verifies that the install notes warn about the development key while it is used, and not with an existing Secret. */
  @Test
  void notesWarnAboutDevelopmentKeys() {
    String defaults = notes(Map.of());
    assertFalse(defaults.contains("DEVELOPMENT"), "no development key by default: " + defaults);
    assertTrue(defaults.contains("generated at install"), defaults);
    String dev = notes(Map.of("secrets.publisherJwtKey", DEV_KEY, "secrets.subscriberJwtKey", DEV_KEY));
    assertTrue(dev.contains("PUBLIC DEVELOPMENT JWT KEY"), dev);
    assertTrue(defaults.contains("port-forward svc/" + FULLNAME), defaults);
    assertTrue(defaults.contains("token --publish"), defaults);
    String existing = notes(Map.of("existingSecret", "mercure-keys"));
    assertFalse(existing.contains("DEVELOPMENT"), existing);
    String own = notes(Map.of("secrets.publisherJwtKey", "p-0123456789abcdef0123456789abcdef",
        "secrets.subscriberJwtKey", "s-0123456789abcdef0123456789abcdef"));
    assertFalse(own.contains("DEVELOPMENT"), own);
  }

  /** Verifies that without keys the chart's Secret holds two different random keys, and given keys are used as they are. */
  @Test
  void secretGeneratesKeysWhenNoneAreGiven() {
    Map<String, Object> secret = one(render(Map.of()), "Secret", FULLNAME);
    Map<String, Object> data = at(secret, "data");
    String publisher = new String(java.util.Base64.getDecoder().decode((String) data.get("publisher-jwt-key")), java.nio.charset.StandardCharsets.UTF_8);
    String subscriber = new String(java.util.Base64.getDecoder().decode((String) data.get("subscriber-jwt-key")), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(48, publisher.length());
    assertEquals(48, subscriber.length());
    assertNotEquals(publisher, subscriber);
    assertNotEquals(DEV_KEY, publisher);
    Map<String, Object> annotations = at(secret, "metadata.annotations");
    assertEquals("keep", annotations.get("helm.sh/resource-policy"), "upgrades leave generated keys alone");
    Map<String, Object> given = at(one(render(Map.of("secrets.publisherJwtKey", "p-0123456789abcdef0123456789abcdef",
        "secrets.subscriberJwtKey", "s-0123456789abcdef0123456789abcdef")), "Secret", FULLNAME), "data");
    assertEquals("p-0123456789abcdef0123456789abcdef",
        new String(java.util.Base64.getDecoder().decode((String) given.get("publisher-jwt-key")), java.nio.charset.StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Deployed as release qs with three replicas: service links, rollouts, readiness, resources, cluster ports, TLS

  private List<Map<String, Object>> threeReplicas(Map<String, Object> extra) {
    Map<String, Object> values = new LinkedHashMap<>(Map.of("replicaCount", 3, "redis.bundled.enabled", true));
    values.putAll(extra);
    return render(values);
  }

  /** Verifies that release qs with three replicas gets no service links, a preStop pause before the drain, and probes that stay off Redis. */
  @Test
  void releaseQsRollsOutWithoutServiceLinksAndWithAPreStopPause() {
    List<Map<String, Object>> docs = threeReplicas(Map.of());
    Map<String, Object> deployment = one(docs, "Deployment", FULLNAME);
    assertEquals(3, (Object) at(deployment, "spec.replicas"));
    assertEquals(false, at(deployment, "spec.template.spec.enableServiceLinks"));
    Map<String, Object> hub = container(deployment);
    assertEquals(List.of("sleep", "10"), at(hub, "lifecycle.preStop.exec.command"));
    assertEquals(40, (Object) at(deployment, "spec.template.spec.terminationGracePeriodSeconds"), "preStop 10 + drain 20 + margin 10");
    assertEquals("20s", value(env(hub), "QS_DRAIN_WINDOW"));
    assertEquals(0, (Object) at(deployment, "spec.strategy.rollingUpdate.maxUnavailable"));
    assertEquals("/readyz", at(hub, "readinessProbe.httpGet.path"));
    assertEquals("HTTP", at(hub, "readinessProbe.httpGet.scheme"));
    String config = at(one(docs, "ConfigMap", FULLNAME + "-config"), "data.quicksilver.yaml");
    assertTrue(config.contains("require_redis: false"), config);

    Map<String, Object> nativeSleep = container(one(threeReplicas(Map.of("preStop.action", "sleep", "preStop.seconds", 7)),
        "Deployment", FULLNAME));
    assertEquals(7, (Object) at(nativeSleep, "lifecycle.preStop.sleep.seconds"));
    assertNull(at(nativeSleep, "lifecycle.preStop.exec"));
  }

  /** Verifies that the event-loop count follows the CPU limit, else the request, rounded up, and that an explicit value wins. */
  @Test
  void eventLoopsFollowTheCpu() {
    Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
    cases.put(Map.of(), "1"); // the default request, 250m
    cases.put(Map.of("resources.requests.cpu", "1500m"), "2");
    cases.put(Map.of("resources.limits.cpu", "3", "resources.requests.cpu", "1"), "3");
    cases.put(Map.of("resources.limits.cpu", 2.5), "3");
    cases.put(Map.of("resources.limits.cpu", "4", "eventLoops", 2), "2");
    for (Map.Entry<Map<String, Object>, String> c : cases.entrySet()) {
      assertEquals(c.getValue(), value(env(container(one(threeReplicas(c.getKey()), "Deployment", FULLNAME))), "QS_EVENT_LOOPS"),
          c.getKey().toString());
    }
    List<Map<String, Object>> noCpu = renderFile("resources:\n  requests:\n    cpu: null\n");
    assertEquals("0", value(env(container(one(noCpu, "Deployment", FULLNAME))), "QS_EVENT_LOOPS"), "no CPU given: the JVM's count");
  }

  /** Verifies the JVM memory flags: a heap share, direct memory capped at its share of the limit and counted by the JVM, room left. */
  @Test
  void jvmMemoryLeavesRoomForDirectMemoryAndCapsIt() {
    String defaults = value(env(container(one(threeReplicas(Map.of()), "Deployment", FULLNAME))), "JAVA_OPTS");
    assertEquals("-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -Dio.netty.maxDirectMemory=0 -XX:MaxDirectMemorySize=102m", defaults);
    String gib = value(env(container(one(threeReplicas(Map.of("resources.limits.memory", "2Gi", "jvm.heapPercent", 60,
        "javaOpts", "-XX:+UseZGC")), "Deployment", FULLNAME))), "JAVA_OPTS");
    assertTrue(gib.contains("-XX:MaxRAMPercentage=60") && gib.contains("-XX:MaxDirectMemorySize=409m") && gib.endsWith("-XX:+UseZGC"), gib);
    String decimal = value(env(container(one(threeReplicas(Map.of("resources.limits.memory", "1500M")), "Deployment", FULLNAME))), "JAVA_OPTS");
    assertTrue(decimal.contains("-XX:MaxDirectMemorySize=286m"), decimal);
    IllegalStateException tooMuch = assertThrows(IllegalStateException.class,
        () -> threeReplicas(Map.of("jvm.heapPercent", 75, "jvm.directMemoryPercent", 25)));
    assertTrue(tooMuch.getMessage().contains("jvm.heapPercent"), tooMuch.getMessage());
  }

  /** Verifies the NetworkPolicy: Hazelcast and event-bus ports only from this release's hub pods, the HTTP port from the configured peers. */
  @Test
  void networkPolicyClosesTheClusterPorts() {
    List<Map<String, Object>> docs = threeReplicas(Map.of());
    Map<String, Object> policy = one(docs, "NetworkPolicy", FULLNAME);
    Map<String, Object> deployment = one(docs, "Deployment", FULLNAME);
    Map<String, Object> selector = at(deployment, "spec.selector.matchLabels");
    assertEquals(selector, at(policy, "spec.podSelector.matchLabels"));
    assertEquals(List.of("Ingress"), at(policy, "spec.policyTypes"));
    List<Map<String, Object>> rules = at(policy, "spec.ingress");
    Map<String, Object> http = rules.stream().filter(r -> portsOf(r).contains("http")).findFirst().orElseThrow();
    assertNull(http.get("from"), "the HTTP port from everyone by default");
    Map<String, Object> cluster = rules.stream().filter(r -> portsOf(r).contains(5701)).findFirst().orElseThrow();
    assertEquals(List.of(5701, 5702), portsOf(cluster));
    List<Map<String, Object>> from = asList(cluster.get("from"));
    assertEquals(1, from.size());
    assertEquals(selector, at(from.get(0), "podSelector.matchLabels"), "only this release's hub pods");
    assertNull(at(from.get(0), "namespaceSelector"));
    assertTrue(((Map<?, ?>) selector).containsKey("app.kubernetes.io/instance"));
    assertTrue(rules.stream().anyMatch(r -> portsOf(r).equals(List.of("metrics"))), "the metrics port (its own by default)");
    assertEquals(3, rules.size(), "http, metrics and the cluster ports, nothing else: " + rules);

    Map<String, Object> restricted = one(threeReplicas(Map.of("networkPolicy.httpFrom[0].namespaceSelector.matchLabels.ingress", "yes",
        "metrics.port", 9090)), "NetworkPolicy", FULLNAME);
    List<Map<String, Object>> restrictedRules = at(restricted, "spec.ingress");
    assertEquals(3, restrictedRules.size(), "http, metrics, cluster");
    assertEquals(Map.of("ingress", "yes"), at(asList(restrictedRules.get(0).get("from")).isEmpty() ? Map.of()
        : this.<Map<String, Object>>asList(restrictedRules.get(0).get("from")).get(0), "namespaceSelector.matchLabels"));
    List<Map<String, Object>> standalone = at(one(render(Map.of()), "NetworkPolicy", FULLNAME), "spec.ingress");
    assertTrue(standalone.stream().noneMatch(r -> portsOf(r).contains(5701)), "no cluster port open on a standalone hub");
    assertTrue(all(render(Map.of("networkPolicy.enabled", false)), "NetworkPolicy").isEmpty());
  }

  private List<Object> portsOf(Map<String, Object> rule) {
    List<Map<String, Object>> ports = asList(rule.get("ports"));
    return ports.stream().map(p -> p.get("port")).toList();
  }

  /** Verifies the listener's TLS (HTTPS probes, the Secret mounted, the hub pointed at its files) and the event bus's mutual TLS. */
  @Test
  void tlsSecretsAreMountedAndUsed() throws IOException {
    List<Map<String, Object>> docs = threeReplicas(Map.of("tls.secretName", "hub-tls", "cluster.tls.secretName", "bus-tls"));
    Map<String, Object> deployment = one(docs, "Deployment", FULLNAME);
    Map<String, Object> hub = container(deployment);
    Map<String, Object> env = env(hub);
    assertEquals("HTTPS", at(hub, "readinessProbe.httpGet.scheme"));
    assertEquals("HTTPS", at(hub, "livenessProbe.httpGet.scheme"));
    assertEquals("HTTPS", at(hub, "startupProbe.httpGet.scheme"));
    assertEquals("hub-tls", at(volume(deployment, "tls"), "secret.secretName"));
    assertEquals("bus-tls", at(volume(deployment, "cluster-tls"), "secret.secretName"));
    assertEquals(mountPath(hub, "tls") + "/tls.crt", value(env, "QS_TLS_CERT"));
    assertEquals(mountPath(hub, "tls") + "/tls.key", value(env, "QS_TLS_KEY"));
    assertEquals(mountPath(hub, "cluster-tls") + "/tls.crt", value(env, "QS_CLUSTER_TLS_CERT"));
    assertEquals(mountPath(hub, "cluster-tls") + "/tls.key", value(env, "QS_CLUSTER_TLS_KEY"));
    assertEquals(mountPath(hub, "cluster-tls") + "/ca.crt", value(env, "QS_CLUSTER_TLS_CA"));
    Map<String, Object> plain = env(container(one(threeReplicas(Map.of()), "Deployment", FULLNAME)));
    assertFalse(plain.containsKey("QS_TLS_CERT"));
    assertFalse(plain.containsKey("QS_CLUSTER_TLS_CERT"));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rendering and navigation

  /** NOTES.txt as `helm install --dry-run` (client only, no cluster) prints it. */
  private static String notes(Map<String, Object> values) {
    InstallCommand install = new Helm(CHART).install().withName(RELEASE).withNamespace(NAMESPACE).dryRun().clientOnly();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      install = install.set(e.getKey(), e.getValue());
    }
    String output = install.call().getOutput();
    int start = output.indexOf("NOTES:");
    assertTrue(start >= 0, output);
    return output.substring(start);
  }

  private List<Map<String, Object>> render(Map<String, Object> values) {
    return render(values, null);
  }

  private List<Map<String, Object>> renderFile(String valuesYaml) {
    try {
      Path file = Files.createTempFile(tmp, "values", ".yaml");
      Files.writeString(file, valuesYaml, StandardCharsets.UTF_8);
      return render(Map.of(), file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Map<String, Object>> render(Map<String, Object> values, Path valuesFile) {
    TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
    if (valuesFile != null) {
      template = template.withValuesFile(valuesFile);
    }
    for (Map.Entry<String, Object> e : values.entrySet()) {
      template = template.set(e.getKey(), e.getValue());
    }
    String rendered = template.call();
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(rendered)) {
      if (doc != null) {
        docs.add(asMap(doc));
      }
    }
    assertFalse(docs.isEmpty(), "nothing rendered");
    return docs;
  }

  private static List<Map<String, Object>> all(List<Map<String, Object>> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  private static Map<String, Object> one(List<Map<String, Object>> docs, String kind, String name) {
    List<Map<String, Object>> found = all(docs, kind).stream().filter(d -> name.equals(at(d, "metadata.name"))).toList();
    assertEquals(1, found.size(), "one " + kind + " named " + name + " among " + docs.stream()
        .map(d -> d.get("kind") + "/" + at(d, "metadata.name")).toList());
    return found.get(0);
  }

  private static List<Map<String, Object>> union(List<Map<String, Object>> a, List<Map<String, Object>> b) {
    List<Map<String, Object>> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The value at a dotted path of nested maps (a key may itself contain dots only as the last segment). */
  @SuppressWarnings("unchecked")
  private static <T> T at(Map<String, Object> root, String path) {
    Object node = root;
    String rest = path;
    while (node instanceof Map<?, ?> map) {
      if (map.containsKey(rest)) {
        return (T) map.get(rest);
      }
      int dot = rest.indexOf('.');
      if (dot < 0) {
        return null;
      }
      node = map.get(rest.substring(0, dot));
      rest = rest.substring(dot + 1);
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> asList(Object o) {
    return (List<T>) o;
  }

  private static Map<String, Object> container(Map<String, Object> deployment) {
    List<Map<String, Object>> containers = at(deployment, "spec.template.spec.containers");
    assertEquals(1, containers.size());
    return containers.get(0);
  }

  /** Env of a container by name: the plain value (String) or the valueFrom map. */
  private static Map<String, Object> env(Map<String, Object> container) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Map<String, Object>> list = at(container, "env");
    for (Map<String, Object> e : list == null ? List.<Map<String, Object>>of() : list) {
      assertFalse(out.containsKey((String) e.get("name")), "duplicate env " + e.get("name"));
      out.put((String) e.get("name"), e.containsKey("valueFrom") ? e.get("valueFrom") : String.valueOf(e.get("value")));
    }
    return out;
  }

  private static String value(Map<String, Object> env, String name) {
    Object v = env.get(name);
    assertTrue(v instanceof String, name + " is a plain value: " + v);
    return (String) v;
  }

  private static Map<String, Object> secretRef(Map<String, Object> env, String name) {
    Object v = env.get(name);
    assertTrue(v instanceof Map<?, ?>, name + " comes from a Secret: " + v);
    Map<String, Object> ref = at(asMap(v), "secretKeyRef");
    assertNotNull(ref, name + " has a secretKeyRef");
    return ref;
  }

  private static List<Map<String, Object>> secretRefs(Map<String, Object> env) {
    List<Map<String, Object>> refs = new ArrayList<>();
    for (Object v : env.values()) {
      if (v instanceof Map<?, ?> && at(asMap(v), "secretKeyRef") != null) {
        refs.add(at(asMap(v), "secretKeyRef"));
      }
    }
    return refs;
  }

  private static int port(Map<String, Object> container, String name) {
    List<Map<String, Object>> ports = at(container, "ports");
    return ports.stream().filter(p -> name.equals(p.get("name"))).map(p -> (Integer) p.get("containerPort")).findFirst()
        .orElseThrow(() -> new AssertionError("no container port " + name + " in " + ports));
  }

  private static String mountPath(Map<String, Object> container, String volume) {
    List<Map<String, Object>> mounts = at(container, "volumeMounts");
    return mounts.stream().filter(m -> volume.equals(m.get("name"))).map(m -> (String) m.get("mountPath")).findFirst()
        .orElseThrow(() -> new AssertionError("no mount of " + volume));
  }

  private static Map<String, Object> volume(Map<String, Object> deployment, String name) {
    List<Map<String, Object>> volumes = at(deployment, "spec.template.spec.volumes");
    return volumes.stream().filter(v -> name.equals(v.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static Map<String, String> decode(Map<String, Object> secret) {
    Map<String, Object> data = at(secret, "data");
    Map<String, String> out = new LinkedHashMap<>();
    data.forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode((String) v), StandardCharsets.UTF_8)));
    return out;
  }

  /** Kubernetes' $(VAR) expansion of env values, from the variables defined before. */
  private static String expand(String value, Map<String, String> defined) {
    Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = defined.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(out);
    return out.toString();
  }
}
