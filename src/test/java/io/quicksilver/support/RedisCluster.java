package io.quicksilver.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis Cluster of three masters without replicas ({@code redis-server --cluster-enabled yes} on three free
 * loopback ports, joined by {@code redis-cli --cluster create}), owned by one test.
 */
public final class RedisCluster implements AutoCloseable {

  private final List<RedisServer> nodes;

  private RedisCluster(List<RedisServer> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** Starts the nodes, assigns the slots and waits until every node says the cluster is ok. */
  public static RedisCluster start() {
    List<RedisServer> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(RedisServer.start(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
          "--cluster-node-timeout", "2000")));
    }
    RedisCluster cluster = new RedisCluster(nodes);
    List<String> create = new ArrayList<>(List.of("--cluster", "create"));
    nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
    create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    String out = nodes.get(0).cli(create.toArray(String[]::new));
    if (!out.contains("All 16384 slots covered")) {
      cluster.close();
      throw new IllegalStateException("redis-cli --cluster create failed: " + out);
    }
    for (RedisServer n : nodes) {
      Await.until(() -> n.cli("CLUSTER", "INFO"), info -> info.contains("cluster_state:ok"), Duration.ofSeconds(20),
          info -> "cluster not ok on " + n.port() + ": " + info);
    }
    return cluster;
  }

  public List<RedisServer> nodes() {
    return nodes;
  }

  /** The node URLs, space-separated (what {@code QS_REDIS_URL} takes in cluster mode). */
  public String urls() {
    return String.join(" ", nodes.stream().map(RedisServer::url).toList());
  }

  /** The nodes holding keys in the slot of {@code key}. */
  public List<RedisServer> holding(String key) {
    String slot = nodes.get(0).cli("CLUSTER", "KEYSLOT", key);
    return nodes.stream().filter(n -> !n.cli("CLUSTER", "COUNTKEYSINSLOT", slot).equals("0")).toList();
  }

  @Override
  public void close() {
    nodes.forEach(RedisServer::stop);
  }
}
