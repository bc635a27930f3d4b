package io.quicksilver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.Role;
import io.quicksilver.auth.TrustedIssuer;
import io.quicksilver.mercure.ProtocolMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;



/** Loading the configuration from defaults, a YAML file and the environment. */
class ConfigLoaderTest {

  /** A secret that must never appear in an error message. */
  private static final String SECRET = "Top-Secret-Key-Material-0123456789-abcdef";

  @TempDir
  Path dir;

  /** The two keys plus the given variables (a null value removes one). */
  static Map<String, String> env(String... nameValues) {
    Map<String, String> env = new HashMap<>();
    env.put("MERCURE_PUBLISHER_JWT_KEY", SECRET);
    env.put("MERCURE_SUBSCRIBER_JWT_KEY", SECRET);
    for (int i = 0; i < nameValues.length; i += 2) {
      if (nameValues[i + 1] == null) {
        env.remove(nameValues[i]);
      } else {
        env.put(nameValues[i], nameValues[i + 1]);
      }
    }
    return env;
  }

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("quicksilver.yaml");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static ConfigException fails(Map<String, String> env, Path file) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(env, file));
    assertFalse(e.getMessage().contains(SECRET), "message leaks the key: " + e.getMessage());
    return e;
  }

  /** Verifies that the built-in defaults apply when neither file nor environment set a key. */
  @Test
  void defaults() {
    HubConfig c = ConfigLoader.load(env(), null);
    assertEquals("127.0.0.1", c.http().host());
    assertEquals(8080, c.http().port());
    assertEquals(1L << 20, c.http().maxBody());
    assertEquals(64 << 10, c.http().maxHeaderSize());
    assertEquals(128 << 10, c.http().maxInitialLineLength());
    assertEquals(Duration.ofSeconds(120), c.http().idleTimeout());
    assertEquals("HS256", c.auth().publisherKey().algorithm());
    assertEquals("HS256", c.auth().subscriberKey().algorithm());
    assertFalse(c.auth().anonymous());
    assertEquals("mercureAuthorization", c.auth().cookieName());
    assertEquals(List.of(), c.auth().corsOrigins());
    assertEquals(List.of(), c.auth().publishOrigins());
    assertEquals(Duration.ofSeconds(40), c.stream().heartbeat());
    assertEquals(Duration.ofSeconds(600), c.stream().writeTimeout());
    assertEquals(Duration.ofSeconds(5), c.stream().dispatchTimeout());
    assertEquals(1000, c.stream().maxTopics());
    assertEquals(4L << 20, c.stream().subscriberBuffer());
    assertEquals(10000, c.history().size());
    assertNull(c.history().redisUrl());
    assertEquals("quicksilver", c.history().redisPrefix());
    assertFalse(c.subscriptions());
    assertFalse(c.demo().enabled(), "the demo is the laptop file's, not a default");
    assertFalse(c.ui());
    assertEquals("INFO", c.logLevel());
    assertEquals(0, c.server().eventLoops());
    assertFalse(c.server().h2c());
    assertNull(c.server().tls());
    assertEquals(List.of(), c.server().trustedProxies());
    assertEquals("text", c.logging().format());
    assertFalse(c.logging().access());
    assertFalse(c.ops().readinessRequiresRedis());
    assertNull(c.cluster().busTls());
  }

  /** Verifies that file values (nested keys, lists, numbers) are applied. */
  @Test
  void fileValues() throws IOException {
    Path file = yaml("""
        http:
          port: 9090
          max_body: 2MiB
        jwt:
          publisher_alg: HS512
        anonymous: yes
        publish_origins: [https://App.example.com, "http://localhost:3000"]
        cors_origins: https://a.example https://b.example
        heartbeat: 1m30s
        history:
          size: 5
          redis_url: redis://localhost:6379/1
        log_level: debug
        """);
    HubConfig c = ConfigLoader.load(env(), file);
    assertEquals(9090, c.http().port());
    assertEquals(2L << 20, c.http().maxBody());
    assertEquals("HS512", c.auth().publisherKey().algorithm());
    assertTrue(c.auth().anonymous());
    assertEquals(List.of("https://app.example.com", "http://localhost:3000"), c.auth().publishOrigins());
    assertEquals(List.of("https://a.example", "https://b.example"), c.auth().corsOrigins());
    assertEquals(Duration.ofSeconds(90), c.stream().heartbeat());
    assertEquals(5, c.history().size());
    assertEquals("redis://localhost:6379/1", c.history().redisUrl());
    assertEquals("DEBUG", c.logLevel());
  }

  /** Verifies that the environment overrides the file, which overrides the defaults. */
  @Test
  void environmentOverridesFile() throws IOException {
    Path file = yaml("http:\n  port: 9090\n  host: 0.0.0.0\nheartbeat: 10s\n");
    HubConfig c = ConfigLoader.load(env("QS_HTTP_PORT", "9191", "QS_HEARTBEAT", "0"), file);
    assertEquals(9191, c.http().port());
    assertEquals("0.0.0.0", c.http().host());
    assertEquals(Duration.ZERO, c.stream().heartbeat());
  }

  /** Verifies that keys may come from the file alone, and the environment's key wins over the file's. */
  @Test
  void keysFromFileAndEnvironment() throws IOException {
    Path file = yaml("jwt:\n  publisher_key: file-secret-file-secret-file-secret\n  subscriber_key: other-secret\n");
    HubConfig fromFile = ConfigLoader.load(Map.of(), file);
    assertEquals("HS256", fromFile.auth().publisherKey().algorithm());
    HubConfig fromEnv = ConfigLoader.load(env(), file);
    assertEquals(SECRET, fromEnv.auth().publisherKey().material());
  }

  /** Verifies that an unknown key in the file stops loading with a message naming it. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http:\\n  prot: 1|http.prot",
      "heartbeats: 40s|heartbeats",
      "jwt:\\n  publisher_kye: x|jwt.publisher_kye",
      "port: 8080|port",
      "history:\\n  size:\\n    nested: 1|history.size.nested"})
  void unknownFileKey(String text, String key) throws IOException {
    ConfigException e = fails(env(), yaml(text.replace("\\n", "\n")));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  /** Verifies that an unknown QS_* environment variable stops loading with a message naming it, while others are ignored. */
  @Test
  void unknownEnvironmentVariable() {
    ConfigException e = fails(env("QS_HTTP_PROT", "1"), null);
    assertTrue(e.getMessage().contains("QS_HTTP_PROT"), e.getMessage());
    ConfigLoader.load(env("PATH", "/bin", "MERCURE_EXTRA", "x", "qs_lower", "x", "QS_CONFIG", "/nonexistent"), null);
  }

  /** Verifies that a malformed environment value stops loading with a message naming the variable, not the secret. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "QS_HEARTBEAT|forty",
      "QS_HEARTBEAT|40",
      "QS_WRITE_TIMEOUT|-1s",
      "QS_IDLE_TIMEOUT|1.5s",
      "QS_DISPATCH_TIMEOUT|''",
      "QS_ANONYMOUS|maybe",
      "QS_SUBSCRIPTIONS|2",
      "QS_DEMO|''",
      "QS_HTTP_PORT|80x",
      "QS_HTTP_PORT|70000",
      "QS_HTTP_PORT|-1",
      "QS_MAX_TOPICS|0",
      "QS_HISTORY_SIZE|1.5",
      "QS_MAX_BODY|1XB",
      "QS_MAX_BODY|0",
      "QS_MAX_BODY|-5",
      "QS_MAX_BODY|999999999999999GiB",
      "QS_MAX_HEADER_SIZE|100",
      "QS_SUBSCRIBER_BUFFER|2GiB",
      "QS_PUBLISH_ORIGINS|example.com",
      "QS_PUBLISH_ORIGINS|https://example.com/path",
      "QS_CORS_ORIGINS|https://",
      "QS_COOKIE_NAME|a;b",
      "QS_COOKIE_NAME|''",
      "QS_LOG_LEVEL|LOUD",
      "QS_REDIS_URL|http://localhost:6379",
      "QS_REDIS_PREFIX|''",
      "QS_REDIS_STREAM|''",
      "QS_HTTP_HOST|''",
      "MERCURE_PUBLISHER_JWT_ALG|none",
      "MERCURE_SUBSCRIBER_JWT_ALG|HS999"})
  void malformedEnvironmentValue(String variable, String value) {
    ConfigException e = fails(env(variable, value), null);
    assertTrue(e.getMessage().contains(variable), e.getMessage());
  }

  /** Verifies that a malformed file value stops loading with a message naming the key, not the secret. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "heartbeat: forty|heartbeat",
      "anonymous: maybe|anonymous",
      "http:\\n  port: eighty|http.port",
      "http:\\n  max_body: lots|http.max_body",
      "publish_origins: [example.com]|publish_origins",
      "max_topics: 1.5|max_topics",
      "jwt:\\n  publisher_alg: RS999|jwt.publisher_alg"})
  void malformedFileValue(String text, String key) throws IOException {
    ConfigException e = fails(env(), yaml(text.replace("\\n", "\n")));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  /** Verifies that a missing or blank JWT key is reported by its environment variable name. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "MERCURE_PUBLISHER_JWT_KEY|NULL",
      "MERCURE_PUBLISHER_JWT_KEY|''",
      "MERCURE_PUBLISHER_JWT_KEY|'   '",
      "MERCURE_SUBSCRIBER_JWT_KEY|NULL",
      "MERCURE_SUBSCRIBER_JWT_KEY|''"})
  void missingJwtKey(String variable, String value) {
    ConfigException e = fails(env(variable, value), null);
    assertTrue(e.getMessage().contains(variable), e.getMessage());
  }

  /** Verifies that key material never appears in messages, whatever goes wrong around it. */
  @Test
  void keyMaterialNeverInMessages() throws Exception {
    // a secret given where a public key is expected
    ConfigException e = fails(env("MERCURE_PUBLISHER_JWT_ALG", "RS256"), null);
    assertTrue(e.getMessage().contains("MERCURE_PUBLISHER_JWT_KEY"), e.getMessage());
    fails(env("MERCURE_SUBSCRIBER_JWT_ALG", "ES256"), null);
    fails(env("MERCURE_PUBLISHER_JWT_KEY", "-----BEGIN PUBLIC KEY-----\n" + SECRET + "\n-----END PUBLIC KEY-----",
        "MERCURE_PUBLISHER_JWT_ALG", "RS256"), null);
    // an RSA public key given for ES256: the PEM body must not be echoed either
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    String body = Base64.getEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded());
    ConfigException ec = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        env("MERCURE_PUBLISHER_JWT_KEY", "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----",
            "MERCURE_PUBLISHER_JWT_ALG", "ES256"), null));
    assertFalse(ec.getMessage().contains(body.substring(0, 32)), ec.getMessage());
    // the secret in a file that is not valid YAML, or next to an unknown key
    fails(Map.of(), yaml("jwt:\n  publisher_key: \"" + SECRET + "\n  subscriber_key: [\n"));
    fails(Map.of(), yaml("jwt:\n  publisher_key: " + SECRET + "\n  publisher_kye: " + SECRET + "\n"));
    fails(Map.of(), yaml("jwt:\n  publisher_key: " + SECRET + "\n  publisher_alg: " + "RS256\n  subscriber_key: x\n"));
    fails(Map.of(), yaml("- " + SECRET + "\n"));
    fails(env("QS_" + "UNKNOWN", SECRET), null);
  }

  /** Verifies that a file holding something other than a mapping is refused, and an empty file means defaults. */
  @Test
  void fileShape() throws IOException {
    fails(env(), yaml("- a\n- b\n"));
    fails(env(), yaml("just a string\n"));
    assertEquals(8080, ConfigLoader.load(env(), yaml("")).http().port());
    assertEquals(8080, ConfigLoader.load(env(), yaml("# only a comment\n")).http().port());
  }

  /** Verifies that QS_CONFIG naming a missing file stops loading with a message naming QS_CONFIG. */
  @Test
  void missingConfigFile() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(env("QS_CONFIG", dir.resolve("absent.yaml").toString())));
    assertTrue(e.getMessage().contains("QS_CONFIG"), e.getMessage());
  }

  /** Verifies that QS_CONFIG selects the file to read. */
  @Test
  void configFileFromEnvironment() throws IOException {
    Path file = yaml("http:\n  port: 9292\n");
    assertEquals(9292, ConfigLoader.load(env("QS_CONFIG", file.toString())).http().port());
  }

  /** Verifies that the project's own conf/quicksilver.yaml loads. */
  @Test
  void projectConfigFileLoads() {
    Path file = Path.of(System.getProperty("qs.project.dir", "."), "conf", "quicksilver.yaml");
    assertTrue(Files.isRegularFile(file), file.toString());
    HubConfig c = ConfigLoader.load(Map.of(), file);
    assertEquals(8080, c.http().port());
    assertTrue(c.auth().anonymous());
    assertEquals("HS256", c.auth().publisherKey().algorithm());
    assertEquals("HS256", c.auth().subscriberKey().algorithm());
    assertEquals(List.of(), c.auth().publishOrigins());
    assertNull(c.history().redisUrl());
    assertEquals(10000, c.history().size());
  }

  /** Verifies that every key has a distinct name and environment variable, and a QS_ or MERCURE_ prefix. */
  @Test
  void keyTableConsistent() {
    assertEquals(Keys.ALL.size(), Keys.ALL.stream().map(Key::name).distinct().count());
    assertEquals(Keys.ALL.size(), Keys.ALL.stream().map(Key::env).distinct().count());
    for (Key<?> k : Keys.ALL) {
      assertTrue(k.env().startsWith("QS_") || k.env().startsWith("MERCURE_"), k.env());
    }
  }

  // --- protocol, resource_identifier, default_issuer, trusted_issuers

  private static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static String ecPem() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return pem(g.generateKeyPair().getPublic());
  }

  private static String issuersJson(JsonObject... issuers) {
    return new JsonArray(List.of((Object[]) issuers)).encode();
  }

  /** Verifies that both protocols are spoken by default, without a fixed resource identifier or any issuer. */
  @Test
  void protocolDefaults() {
    HubConfig.Protocol p = ConfigLoader.load(env(), null).protocol();
    assertEquals(ProtocolMode.BOTH, p.mode());
    assertTrue(p.mode().classicEnabled());
    assertTrue(p.mode().draft08Enabled());
    assertNull(p.resourceIdentifier());
    assertEquals(List.of(), p.issuers());
  }

  /** Verifies that the protocol mode is read from the file, case-insensitively, and the environment overrides it. */
  @Test
  void protocolMode() throws IOException {
    Path file = yaml("protocol: Classic\n");
    assertEquals(ProtocolMode.CLASSIC, ConfigLoader.load(env(), file).protocol().mode());
    assertFalse(ProtocolMode.CLASSIC.draft08Enabled());
    HubConfig c = ConfigLoader.load(env("QS_PROTOCOL", "draft-08", "QS_DEFAULT_ISSUER", "https://app.example.com"), file);
    assertEquals(ProtocolMode.DRAFT_08, c.protocol().mode());
    assertFalse(c.protocol().mode().classicEnabled());
    assertEquals(ProtocolMode.BOTH, ConfigLoader.load(env("QS_PROTOCOL", "both"), file).protocol().mode());
  }

  /** Verifies that an unknown protocol mode stops loading with a message naming the key or the variable. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"QS_PROTOCOL|draft-07", "QS_PROTOCOL|''", "QS_PROTOCOL|draft08"})
  void malformedProtocolMode(String variable, String value) throws IOException {
    assertTrue(fails(env(variable, value), null).getMessage().contains(variable));
    assertTrue(fails(env(), yaml("protocol: mercure\n")).getMessage().contains("protocol"));
  }

  /** Verifies that draft-08 alone without any trusted issuer stops loading, since no token could ever be accepted. */
  @Test
  void draft08NeedsAnIssuer() {
    assertTrue(fails(env("QS_PROTOCOL", "draft-08"), null).getMessage().contains("QS_PROTOCOL"));
  }

  /** Verifies that the resource identifier is read from the file and the environment overrides it. */
  @Test
  void resourceIdentifier() throws IOException {
    Path file = yaml("resource_identifier: https://hub.example.com/.well-known/mercure\n");
    assertEquals("https://hub.example.com/.well-known/mercure", ConfigLoader.load(env(), file).protocol().resourceIdentifier());
    assertEquals("http://localhost:8080/.well-known/mercure",
        ConfigLoader.load(env("QS_RESOURCE_IDENTIFIER", "http://localhost:8080/.well-known/mercure"), file).protocol().resourceIdentifier());
    assertNull(ConfigLoader.load(env("QS_RESOURCE_IDENTIFIER", ""), file).protocol().resourceIdentifier());
  }

  /** Verifies that a resource identifier that is not an http(s) URL without fragment stops loading, naming the key. */
  @ParameterizedTest
  @ValueSource(strings = {"/.well-known/mercure", "hub.example.com", "urn:example:hub", "ftp://hub.example.com/", "https://hub.example.com/#f", "https://hub example.com/"})
  void malformedResourceIdentifier(String value) throws IOException {
    assertTrue(fails(env("QS_RESOURCE_IDENTIFIER", value), null).getMessage().contains("QS_RESOURCE_IDENTIFIER"));
    assertTrue(fails(env(), yaml("resource_identifier: \"" + value + "\"\n")).getMessage().contains("resource_identifier"));
  }

  /** Verifies that the default issuer is served by the jwt.* keys and their algorithms, and is absent when empty. */
  @Test
  void defaultIssuer() throws IOException {
    Path file = yaml("default_issuer: https://app.example.com\njwt:\n  publisher_alg: HS512\n");
    List<TrustedIssuer> issuers = ConfigLoader.load(env(), file).protocol().issuers();
    assertEquals(1, issuers.size());
    assertEquals("https://app.example.com", issuers.get(0).issuer());
    assertEquals("HS512", issuers.get(0).keysFor(Role.PUBLISHER).key().algorithm());
    assertEquals("HS256", issuers.get(0).keysFor(Role.SUBSCRIBER).key().algorithm());
    assertEquals("urn:other", ConfigLoader.load(env("QS_DEFAULT_ISSUER", "urn:other"), file).protocol().issuers().get(0).issuer());
    assertEquals(List.of(), ConfigLoader.load(env("QS_DEFAULT_ISSUER", ""), file).protocol().issuers());
  }

  /** Verifies that trusted issuers are read from a YAML list of maps, after the default issuer, with one or both roles. */
  @Test
  void trustedIssuersFromFile() throws Exception {
    String ec = ecPem().replace("\n", "\n      ");
    Path file = yaml("default_issuer: https://app.example.com\n"
        + "trusted_issuers:\n"
        + "  - issuer: https://auth.example.com\n"
        + "    subscriber_alg: ES256\n"
        + "    subscriber_key: |\n      " + ec + "\n"
        + "  - issuer: urn:publisher\n"
        + "    publisher_alg: HS256\n"
        + "    publisher_key: " + SECRET + "\n"
        + "    subscriber_alg: ES256\n"
        + "    subscriber_key: |\n      " + ec + "\n");
    List<TrustedIssuer> issuers = ConfigLoader.load(env(), file).protocol().issuers();
    assertEquals(List.of("https://app.example.com", "https://auth.example.com", "urn:publisher"),
        issuers.stream().map(TrustedIssuer::issuer).toList());
    assertNull(issuers.get(1).publisher());
    assertEquals("ES256", issuers.get(1).subscriber().key().algorithm());
    assertEquals("HS256", issuers.get(2).publisher().key().algorithm());
    assertEquals("ES256", issuers.get(2).subscriber().key().algorithm());
    assertFalse(issuers.toString().contains(SECRET), issuers.toString());
    assertEquals(List.of(), ConfigLoader.load(env(), yaml("trusted_issuers: []\n")).protocol().issuers());
  }

  /** Verifies that trusted issuers are read from a JSON array in the environment, which overrides the file's list. */
  @Test
  void trustedIssuersFromEnvironment() throws Exception {
    Path file = yaml("trusted_issuers:\n  - issuer: urn:file\n    publisher_alg: HS256\n    publisher_key: " + SECRET + "\n");
    String json = issuersJson(new JsonObject().put("issuer", "urn:env").put("publisher_alg", "ES256").put("publisher_key", ecPem()));
    List<TrustedIssuer> issuers = ConfigLoader.load(env("QS_TRUSTED_ISSUERS", json), file).protocol().issuers();
    assertEquals(1, issuers.size());
    assertEquals("urn:env", issuers.get(0).issuer());
    assertEquals("ES256", issuers.get(0).publisher().key().algorithm());
    assertNull(issuers.get(0).subscriber());
    assertEquals("urn:file", ConfigLoader.load(env(), file).protocol().issuers().get(0).issuer());
    assertEquals(List.of(), ConfigLoader.load(env("QS_TRUSTED_ISSUERS", ""), file).protocol().issuers());
  }

  /** Malformed trusted-issuer lists, as JSON, each carrying the secret somewhere it must not be echoed from. */
  static Stream<String> malformedIssuers() {
    JsonObject ok = new JsonObject().put("issuer", "urn:a").put("publisher_alg", "HS256").put("publisher_key", SECRET);
    return Stream.of(
        "not json " + SECRET,
        "{\"issuer\":\"urn:a\",\"publisher_alg\":\"HS256\",\"publisher_key\":\"" + SECRET + "\"}",
        "[\"" + SECRET + "\"]",
        "[{\"issuer\":\"urn:a\",\"publisher_key\":\"" + SECRET + "\"",
        issuersJson(ok.copy().put("issuer", "")),
        issuersJson(ok.copy().put("issuer", 7)),
        issuersJson(new JsonObject().put("issuer", "urn:a")),
        issuersJson(ok.copy().put("publisher_alg", SECRET)),
        issuersJson(ok.copy().put("publisher_alg", "none")),
        issuersJson(new JsonObject().put("issuer", "urn:a").put("publisher_key", SECRET)),
        issuersJson(new JsonObject().put("issuer", "urn:a").put("subscriber_alg", "ES256")),
        issuersJson(ok.copy().put("publisher_alg", "RS256")),
        issuersJson(ok.copy().put("subscriber_alg", "ES256").put("subscriber_key", "-----BEGIN PUBLIC KEY-----\n" + SECRET + "\n-----END PUBLIC KEY-----")),
        issuersJson(ok.copy().put("kid", "k1")),
        issuersJson(ok, ok));
  }

  /** Verifies that a malformed trusted-issuer list stops loading with a message naming the variable, never the key material. */
  @ParameterizedTest
  @MethodSource("malformedIssuers")
  void malformedTrustedIssuers(String json) {
    ConfigException e = fails(env("QS_TRUSTED_ISSUERS", json), null);
    assertTrue(e.getMessage().contains("QS_TRUSTED_ISSUERS"), e.getMessage());
  }

  /** Verifies that a malformed trusted-issuer list in the file names the key, and that a duplicate of the default issuer is refused. */
  @Test
  void malformedTrustedIssuersInFile() throws IOException {
    assertTrue(fails(env(), yaml("trusted_issuers:\n  - issuer: urn:a\n")).getMessage().contains("trusted_issuers"));
    assertTrue(fails(env(), yaml("trusted_issuers:\n  - issuer: urn:a\n    publisher_alg: HS256\n    publisher_key: " + SECRET
        + "\n    extra: 1\n")).getMessage().contains("trusted_issuers"));
    assertTrue(fails(env("QS_DEFAULT_ISSUER", "urn:a"), yaml("trusted_issuers:\n  - issuer: urn:a\n    publisher_alg: HS256\n    publisher_key: "
        + SECRET + "\n")).getMessage().contains("urn:a"));
  }

  /** Verifies that a trusted issuer's text form shows its identifier and algorithms, never its keys. */
  @Test
  void trustedIssuerToStringHidesKeys() {
    TrustedIssuer issuer = TrustedIssuer.of("urn:a", JwtKey.parse("HS256", SECRET), null);
    assertEquals("TrustedIssuer[urn:a, publisher=HS256, subscriber=none]", issuer.toString());
  }

  /** Verifies the Redis deployments: one server by default, a Cluster from several node URLs, a master found through Sentinel. */
  @Test
  void redisDeployments() throws IOException {
    HubConfig.History standalone = ConfigLoader.load(env("QS_REDIS_URL", "rediss://app:" + SECRET + "@redis.example:6380/2"), null).history();
    assertEquals(HubConfig.RedisMode.STANDALONE, standalone.redisMode());
    assertTrue(standalone.redis());
    assertFalse(standalone.toString().contains(SECRET), standalone.toString());
    assertEquals("mymaster", standalone.redisMasterName());
    assertEquals("", standalone.redisCaFile());

    HubConfig.History cluster = ConfigLoader.load(env("QS_REDIS_MODE", "cluster",
        "QS_REDIS_URL", "redis://10.0.0.1:7000   redis://10.0.0.2:7000"), null).history();
    assertEquals(HubConfig.RedisMode.CLUSTER, cluster.redisMode());
    assertEquals("redis://10.0.0.1:7000 redis://10.0.0.2:7000", cluster.redisUrl());

    Path ca = Files.createTempFile("ca", ".pem");
    HubConfig sentinel = ConfigLoader.load(env("QS_CLUSTER", "true"), yaml("""
        history:
          redis_sentinels: redis://s1:26379 redis://s2:26379
          redis_master_name: main
          redis_ca_file: %s
        """.formatted(ca)));
    assertEquals(List.of("redis://s1:26379", "redis://s2:26379"), sentinel.history().redisSentinels());
    assertEquals("main", sentinel.history().redisMasterName());
    assertEquals(ca.toString(), sentinel.history().redisCaFile());
    assertTrue(sentinel.history().redis(), "Sentinel is Redis enough for a cluster");
    assertNull(sentinel.history().redisUrl());
  }

  /** Verifies the network transport's setting: auto by default, io_uring or nio by name, anything else refused naming the key and the choices (as is a Redis mode). */
  @Test
  void transport() throws IOException {
    assertEquals(HubConfig.Transport.AUTO, ConfigLoader.load(env(), null).server().transport());
    assertEquals(HubConfig.Transport.NIO, ConfigLoader.load(env("QS_TRANSPORT", "nio"), null).server().transport());
    assertEquals(HubConfig.Transport.IO_URING, ConfigLoader.load(env(), yaml("""
        http:
          transport: IO_URING
        """)).server().transport());
    ConfigException failure = fails(env("QS_TRANSPORT", "epoll"), null);
    assertTrue(failure.getMessage().contains("QS_TRANSPORT"), failure.getMessage());
    assertTrue(failure.getMessage().contains("not a transport: \"epoll\" (auto, io_uring or nio)"), failure.getMessage());
    ConfigException mode = fails(env("QS_REDIS_MODE", "replicated"), null);
    assertTrue(mode.getMessage().contains("not a Redis mode: \"replicated\" (standalone or cluster)"), mode.getMessage());
  }

  /** Verifies that Redis settings that do not fit together stop loading with a message naming the keys. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "QS_REDIS_MODE=replicated|QS_REDIS_MODE",
      "QS_REDIS_MODE=cluster|QS_REDIS_MODE",
      "QS_REDIS_URL=redis://a:1 redis://b:1|QS_REDIS_URL",
      "QS_REDIS_URL=redis://a:1,QS_REDIS_SENTINELS=redis://s:26379|QS_REDIS_SENTINELS",
      "QS_REDIS_MODE=cluster,QS_REDIS_URL=redis://a:1,QS_REDIS_SENTINELS=redis://s:26379|QS_REDIS_SENTINELS",
      "QS_REDIS_SENTINELS=s:26379|QS_REDIS_SENTINELS",
      "QS_REDIS_SENTINELS=redis://s:26379,QS_REDIS_MASTER=''|QS_REDIS_MASTER",
      "QS_REDIS_CA_FILE=/no/such/ca.pem|QS_REDIS_CA_FILE"})
  void redisDeploymentsThatDoNotFit(String settings, String named) {
    Map<String, String> e = new HashMap<>(env());
    for (String pair : settings.split(",")) {
      String[] kv = pair.split("=", 2);
      e.put(kv[0], kv[1].equals("''") ? "" : kv[1]);
    }
    ConfigException failure = fails(e, null);
    assertTrue(failure.getMessage().contains(named), failure.getMessage());
  }

  /** Verifies that the former name of the Redis key prefix still sets it, yields to the new name, and is warned about once. */
  @Test
  void formerRedisPrefixNameStillWorksWithOneWarning() throws IOException {
    Logger logger = (Logger) LoggerFactory.getLogger(ConfigLoader.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    try {
      assertEquals("qs-new", ConfigLoader.load(env("QS_REDIS_PREFIX", "qs-new"), null).history().redisPrefix());
      assertEquals(List.of(), log.list, "the new name warns about nothing");

      assertEquals("qs-old", ConfigLoader.load(env("QS_REDIS_STREAM", "qs-old"), null).history().redisPrefix());
      assertEquals(1, log.list.size(), log.list.toString());
      ILoggingEvent warning = log.list.get(0);
      assertEquals(Level.WARN, warning.getLevel());
      for (String name : List.of("history.redis_stream", "QS_REDIS_STREAM", "history.redis_prefix", "QS_REDIS_PREFIX", "the environment")) {
        assertTrue(warning.getFormattedMessage().contains(name), warning.getFormattedMessage());
      }

      log.list.clear();
      Path file = yaml("history:\n  redis_stream: qs-file\n");
      assertEquals("qs-file", ConfigLoader.load(env(), file).history().redisPrefix());
      assertEquals("qs-env", ConfigLoader.load(env("QS_REDIS_STREAM", "qs-env"), file).history().redisPrefix(), "the environment wins");
      assertEquals("qs-new", ConfigLoader.load(env("QS_REDIS_STREAM", "qs-old", "QS_REDIS_PREFIX", "qs-new"), file).history().redisPrefix(),
          "the new name wins at the same level");
      assertEquals("qs-new", ConfigLoader.load(env(), yaml("history:\n  redis_prefix: qs-new\n  redis_stream: qs-old\n"))
          .history().redisPrefix(), "the new name wins in the file too, whatever the order");
      assertEquals(4, log.list.size(), "one warning a load: " + log.list);
      assertTrue(log.list.get(1).getFormattedMessage().contains(file + " and the environment"), log.list.get(1).getFormattedMessage());
    } finally {
      logger.detachAppender(log);
    }
  }
}
