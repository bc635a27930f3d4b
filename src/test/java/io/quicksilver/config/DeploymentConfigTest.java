package io.quicksilver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;



/** The configuration of a deployed hub: Kubernetes' environment, keys, TLS files, proxies, logs, readiness. */
class DeploymentConfigTest {

  @TempDir
  Path dir;

  private static Map<String, String> env(String... nameValues) {
    return ConfigLoaderTest.env(nameValues);
  }

  /** What the kubelet injects into a pod of release {@code qs} (Services qs-quicksilver and qs-quicksilver-redis) with service links on. */
  private static Map<String, String> serviceLinksOfReleaseQs() {
    Map<String, String> env = env();
    for (String svc : List.of("QS_QUICKSILVER", "QS_QUICKSILVER_REDIS")) {
      String port = svc.endsWith("REDIS") ? "6379" : "80";
      env.put(svc + "_SERVICE_HOST", "10.96.12.34");
      env.put(svc + "_SERVICE_PORT", port);
      env.put(svc + "_SERVICE_PORT_" + (svc.endsWith("REDIS") ? "REDIS" : "HTTP"), port);
      env.put(svc + "_PORT", "tcp://10.96.12.34:" + port);
      env.put(svc + "_PORT_" + port + "_TCP", "tcp://10.96.12.34:" + port);
      env.put(svc + "_PORT_" + port + "_TCP_PROTO", "tcp");
      env.put(svc + "_PORT_" + port + "_TCP_PORT", port);
      env.put(svc + "_PORT_" + port + "_TCP_ADDR", "10.96.12.34");
    }
    env.put("QS_METRICS_SERVICE_PORT_METRICS", "9090"); // a Service named qs-metrics
    env.put("QS_V6_PORT_80_TCP", "tcp://[fd00:10:96::1]:80");
    env.put("QS_V6_SERVICE_HOST", "fd00:10:96::1");
    return env;
  }

  /** Verifies that the service-link variables of a release named qs never stop start-up and are not read as configuration. */
  @Test
  void serviceLinksOfReleaseQsAreIgnored() {
    HubConfig c = ConfigLoader.load(serviceLinksOfReleaseQs(), null);
    assertEquals(8080, c.http().port());
  }

  /** Verifies that a documented variable holding a service link (a Service named qs-http) is ignored, not parsed. */
  @Test
  void serviceLinkOnADocumentedName() {
    HubConfig c = ConfigLoader.load(env("QS_HTTP_PORT", "tcp://10.96.0.7:8080", "QS_METRICS_PORT", "tcp://10.96.0.8:9090"), null);
    assertEquals(8080, c.http().port());
    assertEquals(0, c.ops().metricsPort());
  }

  /** Verifies that a mistyped key is still caught, with the name it resembles, even when it looks like a link's name but not its value. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "QS_HEARTBEET|40s|QS_HEARTBEAT",
      "QS_METRIC_PORT|9090|QS_METRICS_PORT",
      "QS_HTTP_PORTS|8080|QS_HTTP_PORT",
      "QS_CLUSTER_SERVICE_HOST|my-host|",
      "QS_TLS_CRT|/tls/tls.crt|QS_TLS_CERT"})
  void typosAreCaught(String name, String value, String suggestion) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(env(name, value), null));
    assertTrue(e.getMessage().contains("unknown environment variable " + name), e.getMessage());
    if (suggestion != null) {
      assertTrue(e.getMessage().contains("did you mean " + suggestion + "?"), e.getMessage());
    }
  }

  /** Verifies that the shapes are recognised by name and value together. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "QS_A_SERVICE_HOST|10.0.0.1|true",
      "QS_A_SERVICE_HOST|fd00::1|true",
      "QS_A_SERVICE_HOST|example.com|false",
      "QS_A_SERVICE_PORT|443|true",
      "QS_A_SERVICE_PORT_HTTPS_WEB|443|true",
      "QS_A_SERVICE_PORT|x|false",
      "QS_A_PORT|tcp://10.0.0.1:80|true",
      "QS_A_PORT|udp://[fd00::1]:53|true",
      "QS_A_PORT|80|false",
      "QS_A_PORT_53_UDP|udp://10.0.0.1:53|true",
      "QS_A_PORT_53_UDP_PROTO|udp|true",
      "QS_A_PORT_53_UDP_PORT|53|true",
      "QS_A_PORT_53_UDP_ADDR|10.0.0.1|true",
      "QS_A_PORT_53_UDP_ADDR|x|false",
      "QS_A_HOST|10.0.0.1|false"})
  void shapes(String name, String value, boolean link) {
    assertEquals(link, ServiceLinks.isServiceLink(name, value));
  }

  /** Verifies that without keys start-up stops with a message naming both variables, or the one missing. */
  @Test
  void keysAreRequired() {
    ConfigException both = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(env("MERCURE_PUBLISHER_JWT_KEY", null, "MERCURE_SUBSCRIBER_JWT_KEY", null), null));
    assertTrue(both.getMessage().startsWith("MERCURE_PUBLISHER_JWT_KEY and MERCURE_SUBSCRIBER_JWT_KEY are required"), both.getMessage());
    ConfigException one = assertThrows(ConfigException.class, () -> ConfigLoader.load(env("MERCURE_SUBSCRIBER_JWT_KEY", " "), null));
    assertTrue(one.getMessage().startsWith("MERCURE_SUBSCRIBER_JWT_KEY is required"), one.getMessage());
  }

  /** Verifies the TLS, HTTP/2, proxy, event-loop, log and readiness keys. */
  @Test
  void deploymentKeys() throws IOException {
    Path cert = Files.writeString(dir.resolve("tls.crt"), "x");
    Path key = Files.writeString(dir.resolve("tls.key"), "x");
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    HubConfig c = ConfigLoader.load(env("QS_TLS_CERT", cert.toString(), "QS_TLS_KEY", key.toString(), "QS_TLS_RELOAD", "5s",
        "QS_H2C", "true", "QS_TRUSTED_PROXIES", "10.0.0.0/8 127.0.0.1,fd00::/8", "QS_EVENT_LOOPS", "3",
        "QS_LOG_FORMAT", "JSON", "QS_ACCESS_LOG", "true", "QS_READINESS_REQUIRE_REDIS", "true",
        "QS_CLUSTER_TLS_CERT", cert.toString(), "QS_CLUSTER_TLS_KEY", key.toString(), "QS_CLUSTER_TLS_CA", ca.toString()), null);
    assertEquals(new HubConfig.Tls(cert, key, null), c.server().tls());
    assertEquals(Duration.ofSeconds(5), c.server().tlsReload());
    assertTrue(c.server().h2c());
    assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("127.0.0.1/32"), Cidr.parse("fd00::/8")), c.server().trustedProxies());
    assertEquals(3, c.server().eventLoops());
    assertEquals("json", c.logging().format());
    assertTrue(c.logging().access());
    assertTrue(c.ops().readinessRequiresRedis());
    assertEquals(new HubConfig.Tls(cert, key, ca), c.cluster().busTls());
  }

  /** Verifies that TLS files are given together and must be readable, with messages naming the keys. */
  @Test
  void tlsFilesValidated() throws IOException {
    Path cert = Files.writeString(dir.resolve("tls.crt"), "x");
    ConfigException alone = assertThrows(ConfigException.class, () -> ConfigLoader.load(env("QS_TLS_CERT", cert.toString()), null));
    assertTrue(alone.getMessage().contains("http.tls_key is missing"), alone.getMessage());
    ConfigException absent = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(env("QS_TLS_CERT", cert.toString(), "QS_TLS_KEY", dir.resolve("absent.key").toString()), null));
    assertTrue(absent.getMessage().startsWith("QS_TLS_KEY: no readable file"), absent.getMessage());
    ConfigException bus = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(env("QS_CLUSTER_TLS_CERT", cert.toString(), "QS_CLUSTER_TLS_KEY", cert.toString()), null));
    assertTrue(bus.getMessage().contains("cluster.tls_ca is missing"), bus.getMessage());
  }

  /** Verifies that malformed values of the new keys are refused with the variable's name. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "QS_TRUSTED_PROXIES|proxy.example.com",
      "QS_TRUSTED_PROXIES|10.0.0.0/33",
      "QS_TRUSTED_PROXIES|10.0.0/8",
      "QS_EVENT_LOOPS|-1",
      "QS_LOG_FORMAT|xml",
      "QS_H2C|maybe",
      "QS_TLS_RELOAD|often"})
  void malformed(String name, String value) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(env(name, value), null));
    assertTrue(e.getMessage().startsWith(name + ":"), e.getMessage());
  }

  /** Verifies CIDR membership, IPv4 and IPv6, and IPv4-mapped addresses. */
  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/8 10.255.1.2 true", "10.0.0.0/8 11.0.0.1 false", "127.0.0.1 127.0.0.1 true",
      "127.0.0.1 127.0.0.2 false", "10.1.2.3/16 10.1.200.1 true", "fd00::/8 fd12::1 true", "fd00::/8 fe80::1 false",
      "10.0.0.0/8 ::ffff:10.1.1.1 true", "0.0.0.0/0 192.0.2.1 true", "::/0 10.0.0.1 false"})
  void cidrContains(String row) throws Exception {
    String[] p = row.split(" ");
    assertEquals(Boolean.parseBoolean(p[2]), Cidr.parse(p[0]).contains(InetAddress.getByName(p[1])), row);
  }

  /** Verifies that the laptop file (conf/quicksilver.yaml) still turns the demo and the hub UI on. */
  @Test
  void laptopFileKeepsTheDemo() {
    Path file = Path.of(System.getProperty("qs.project.dir", "."), "conf", "quicksilver.yaml");
    HubConfig c = ConfigLoader.load(Map.of(), file);
    assertTrue(c.demo().enabled());
    assertTrue(c.ui());
    assertFalse(c.demo().users().isEmpty());
    assertNull(c.server().tls());
  }
}
