package io.quicksilver.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A master, one replica and one Sentinel watching them ({@code redis-server sentinel.conf --sentinel}), on
 * free loopback ports, owned by one test. Sentinel declares the master down after 500 ms without an answer
 * and, with a quorum of one, promotes the replica.
 */
public final class RedisSentinel implements AutoCloseable {

  /** The name Sentinel knows the master by. */
  public static final String MASTER_NAME = "qs-master";

  private final RedisServer master;
  private final RedisServer replica;
  private final int port;
  private final Process sentinel;

  private RedisSentinel(RedisServer master, RedisServer replica, int port, Process sentinel) {
    this.master = master;
    this.replica = replica;
    this.port = port;
    this.sentinel = sentinel;
  }

  /** Starts the three processes and waits until Sentinel knows the replica. */
  public static RedisSentinel start() {
    RedisServer master = RedisServer.start();
    RedisServer replica = RedisServer.start(List.of("--replicaof", "127.0.0.1", String.valueOf(master.port())));
    try {
      int port = RedisServer.freePort();
      Path dir = Files.createTempDirectory("qs-sentinel");
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(conf, String.join("\n",
          "port " + port,
          "bind 127.0.0.1",
          "dir " + dir,
          "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
          "sentinel down-after-milliseconds " + MASTER_NAME + " 500",
          "sentinel failover-timeout " + MASTER_NAME + " 5000",
          "") + "\n");
      Process process = new ProcessBuilder(List.of("redis-server", conf.toString(), "--sentinel"))
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("sentinel.log").toFile())
          .start();
      RedisServer.awaitPort(port, true, Duration.ofSeconds(10));
      RedisSentinel s = new RedisSentinel(master, replica, port, process);
      Await.until(() -> RedisServer.cli(port, "SENTINEL", "REPLICAS", MASTER_NAME), out -> out.contains(String.valueOf(replica.port())),
          Duration.ofSeconds(20), out -> "Sentinel did not learn of the replica: " + out);
      return s;
    } catch (IOException e) {
      master.stop();
      replica.stop();
      throw new IllegalStateException("cannot start redis-server --sentinel", e);
    }
  }

  /** {@code redis://127.0.0.1:<sentinel port>}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public RedisServer master() {
    return master;
  }

  public RedisServer replica() {
    return replica;
  }

  /** Waits until Sentinel names the replica as the master. */
  public void awaitReplicaPromoted(Duration timeout) {
    String wanted = String.valueOf(replica.port());
    Await.until(() -> RedisServer.cli(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME), out -> out.contains(wanted),
        timeout, out -> "no failover to the replica: Sentinel names " + out);
  }

  @Override
  public void close() {
    sentinel.destroyForcibly();
    try {
      sentinel.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    replica.stop();
    master.stop();
  }
}
