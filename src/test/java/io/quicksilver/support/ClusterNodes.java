package io.quicksilver.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Several hub nodes in separate JVMs, clustered over loopback with a TCP member list, sharing one Redis.
 * Each set gets its own cluster name and Redis key prefix, so sets never meet.
 */
public final class ClusterNodes implements AutoCloseable {

  private final List<HubProcess> nodes;
  private final Map<String, String> env;

  private ClusterNodes(List<HubProcess> nodes, Map<String, String> env) {
    this.nodes = nodes;
    this.env = env;
  }

  /** Starts {@code n} nodes in parallel and waits until each listens (the cluster forms as they join). */
  public static ClusterNodes start(int n, RedisServer redis, Map<String, String> extraEnv) {
    return start(n, redis, extraEnv, i -> Map.of());
  }

  /** Starts {@code n} nodes as {@link #start(int, RedisServer, Map)} does, node {@code i} with {@code nodeEnv.apply(i)} on top. */
  public static ClusterNodes start(int n, RedisServer redis, Map<String, String> extraEnv, IntFunction<Map<String, String>> nodeEnv) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ports.add(RedisServer.freePort());
    }
    String members = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(" "));
    String name = "qs-test-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> shared = new HashMap<>(extraEnv);
    shared.put("QS_CLUSTER", "true");
    shared.put("QS_CLUSTER_HOST", "127.0.0.1");
    shared.put("QS_CLUSTER_MEMBERS", members);
    shared.put("QS_CLUSTER_NAME", name);
    shared.put("QS_REDIS_URL", redis.url());
    shared.put("QS_REDIS_PREFIX", name);
    List<CompletableFuture<HubProcess>> starting = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, String> env = new HashMap<>(shared);
      env.put("QS_CLUSTER_PORT", String.valueOf(ports.get(i)));
      env.putAll(nodeEnv.apply(i));
      String label = name + "-" + (char) ('a' + i);
      starting.add(CompletableFuture.supplyAsync(() -> HubProcess.start(label, env)));
    }
    List<HubProcess> nodes = new ArrayList<>();
    for (CompletableFuture<HubProcess> f : starting) {
      nodes.add(f.join());
    }
    return new ClusterNodes(nodes, shared);
  }

  public HubProcess node(int i) {
    return nodes.get(i);
  }

  public List<HubProcess> nodes() {
    return nodes;
  }

  /** The Redis key prefix of this set. */
  public String redisPrefix() {
    return env.get("QS_REDIS_PREFIX");
  }

  @Override
  public void close() {
    nodes.parallelStream().forEach(HubProcess::close);
  }
}
