package io.quicksilver.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Await;
import io.quicksilver.support.DeliveryContract;
import io.quicksilver.support.Http;
import io.quicksilver.support.RedisCluster;
import io.quicksilver.support.RedisSentinel;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.ResumingSubscriber;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/**
 * The hub on Redis as it is run in production, each a real {@code redis-server}: a Sentinel-managed master
 * that fails over, a Redis Cluster, TLS and an ACL user. Each checks the delivery contract on every publish:
 * every update answered 200 reaches the open subscriber, live or after a reconnection the hub asked for; none
 * answered 503 is delivered.
 */
@Timeout(120)
class RedisDeploymentsTest {

  private static final String TOPIC = "https://example.com/deployments/1";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Deque<AutoCloseable> closing = new ArrayDeque<>();

  @AfterEach
  void stopAll() throws Exception {
    while (!closing.isEmpty()) {
      closing.pop().close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    closing.push(resource);
    return resource;
  }

  private TestHub hub(Map<String, String> redis) {
    Map<String, String> env = new HashMap<>(Map.of(
        "QS_REDIS_PREFIX", "qs-deploy-" + UUID.randomUUID(),
        "QS_HISTORY_SIZE", "1000",
        "QS_REDIS_TIMEOUT", "1s"));
    env.putAll(redis);
    return closeLater(TestHub.start(env));
  }

  private ResumingSubscriber subscribe(TestHub hub) {
    return closeLater(ResumingSubscriber.open(hub.hub("?topic=" + TOPIC), Map.of()));
  }

  private static void publishAll(DeliveryContract contract, TestHub hub, String prefix, int n) {
    for (int i = 1; i <= n; i++) {
      assertEquals(200, contract.publishUntilAccepted(hub.hub(""), "urn:test:" + prefix + i, WAIT), prefix + i);
    }
  }

  /** A cursor resumes: the replay after the second of three ids is the third. */
  private static void assertReplay(TestHub hub, List<String> ids) {
    try (SseClient resumed = SseClient.open(hub.hub("?topic=" + TOPIC), Map.of("Last-Event-ID", ids.get(1)))) {
      assertEquals(ids.get(1), resumed.header("Last-Event-ID"));
      assertEquals(ids.get(2), resumed.next(Duration.ofSeconds(10)).lastEventId());
    }
  }

  /**
   * Verifies that the hub follows a Sentinel failover with a subscriber open, and that the writes the promoted
   * replica never received (b1–b3, acknowledged by the old master) are detected as a rewind: a new epoch, a
   * declared loss, and the updates published after the failover delivered.
   */
  @Test
  void sentinelFailover() {
    RedisSentinel sentinel = closeLater(RedisSentinel.start());
    TestHub hub = hub(Map.of("QS_REDIS_SENTINELS", sentinel.url(), "QS_REDIS_MASTER", RedisSentinel.MASTER_NAME));
    ResumingSubscriber sub = subscribe(hub);
    DeliveryContract contract = new DeliveryContract(TOPIC);
    publishAll(contract, hub, "a", 3);
    Await.until(() -> sentinel.master().cli("WAIT", "1", "100"), "1"::equals, WAIT, n -> "not replicated: " + n);

    // the replica stops receiving the master's writes (as one that lags behind), keeping what it has
    assertEquals("OK", sentinel.replica().cli("REPLICAOF", "127.0.0.1", String.valueOf(RedisServer.freePort())));
    publishAll(contract, hub, "b", 3);
    sub.awaitAll(contract.answered(200), WAIT);
    sentinel.master().stop();
    sentinel.awaitReplicaPromoted(WAIT);

    publishAll(contract, hub, "c", 3);
    contract.verify(hub.hub(""), WAIT, sub);
    assertTrue(sub.answers().contains("earliest"), "the lost writes were declared: " + sub.answers());
    assertReplay(hub, contract.answered(200).subList(contract.answered(200).size() - 4, contract.answered(200).size()));
  }

  /** Verifies publish, live delivery and replay on a three-node Redis Cluster, every key of the history in one slot. */
  @Test
  void redisCluster() {
    RedisCluster cluster = closeLater(RedisCluster.start());
    String prefix = "qs-cluster-" + UUID.randomUUID();
    TestHub hub = hub(Map.of("QS_REDIS_MODE", "cluster", "QS_REDIS_URL", cluster.urls(), "QS_REDIS_PREFIX", prefix));
    ResumingSubscriber sub = subscribe(hub);
    DeliveryContract contract = new DeliveryContract(TOPIC);
    publishAll(contract, hub, "k", 5);
    contract.verify(hub.hub(""), WAIT, sub);
    assertReplay(hub, contract.answered(200));
    List<RedisServer> holders = cluster.holding(RedisEventStore.key(prefix, "stream"));
    assertEquals(1, holders.size(), "one node holds the history");
    assertEquals("6", holders.get(0).cli("GET", RedisEventStore.key(prefix, "seq")), "counter and stream side by side");
  }

  /**
   * Verifies that the hub logs in as an ACL user given in the URL ({@code redis://user:password@host}), with no
   * more rights than its own keys and commands, and that a wrong password keeps it from publishing (503).
   */
  @Test
  void aclUser() {
    RedisServer redis = closeLater(RedisServer.start());
    String prefix = "qs-acl-" + UUID.randomUUID();
    assertEquals("OK", redis.cli("ACL", "SETUSER", "quicksilver", "on", ">s3cret-pw", "~{" + prefix + "}:*", "resetchannels",
        "-@all", "+@read", "+@write", "+@scripting", "+@connection", "-@dangerous", "+info", "+time")); // as the README shows
    assertEquals("OK", redis.cli("ACL", "SETUSER", "default", "off"));
    TestHub hub = hub(Map.of("QS_REDIS_URL", "redis://quicksilver:s3cret-pw@127.0.0.1:" + redis.port(), "QS_REDIS_PREFIX", prefix));
    ResumingSubscriber sub = subscribe(hub);
    DeliveryContract contract = new DeliveryContract(TOPIC);
    publishAll(contract, hub, "u", 3);
    contract.verify(hub.hub(""), WAIT, sub);
    assertReplay(hub, contract.answered(200));

    TestHub wrong = hub(Map.of("QS_REDIS_URL", "redis://quicksilver:wrong@127.0.0.1:" + redis.port(), "QS_REDIS_PREFIX", prefix));
    assertEquals(503, Http.post(wrong.hub(""), io.quicksilver.support.Tokens.publisher("*"),
        Http.form("topic", TOPIC, "data", "x")).statusCode(), "a wrong password: not stored");
  }

  /**
   * Verifies the hub on a Redis that speaks only TLS ({@code rediss://}), trusting a self-signed certificate
   * through {@code QS_REDIS_CA_FILE}; without it the certificate is refused and nothing is published.
   */
  @Test
  void tls() throws Exception {
    Path dir = Files.createTempDirectory("qs-tls");
    Path cert = dir.resolve("redis.crt");
    Path key = dir.resolve("redis.key");
    selfSigned(dir, cert, key);
    RedisServer redis = closeLater(RedisServer.startTls(cert, key));
    String url = "rediss://127.0.0.1:" + redis.port();
    TestHub hub = hub(Map.of("QS_REDIS_URL", url, "QS_REDIS_CA_FILE", cert.toString()));
    ResumingSubscriber sub = subscribe(hub);
    DeliveryContract contract = new DeliveryContract(TOPIC);
    publishAll(contract, hub, "t", 3);
    contract.verify(hub.hub(""), WAIT, sub);
    assertReplay(hub, contract.answered(200));

    TestHub untrusting = hub(Map.of("QS_REDIS_URL", url));
    assertEquals(503, Http.post(untrusting.hub(""), io.quicksilver.support.Tokens.publisher("*"),
        Http.form("topic", TOPIC, "data", "x")).statusCode(), "an unknown certificate: not stored");
  }

  /** A self-signed certificate for 127.0.0.1 and localhost (JDK keytool), written as PEM for redis-server. */
  private static void selfSigned(Path dir, Path cert, Path key) throws Exception {
    Path store = dir.resolve("redis.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "redis", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes());
    assertTrue(keytool.waitFor(30, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool: " + out);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(store.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    Certificate certificate = ks.getCertificate("redis");
    Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", ks.getKey("redis", "changeit".toCharArray()).getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
