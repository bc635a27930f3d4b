package io.quicksilver.history;

import io.quicksilver.config.HubConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import java.time.Duration;
import java.util.List;

/**
 * The hub's Redis client, of vertx-redis-client's own kind for each deployment: one server, the master
 * that Sentinel names (the client asks a sentinel for the master on each new connection, so it follows a
 * failover within a second), or a Redis Cluster (commands go to the node owning their keys' slot; the
 * history's keys share one). Pooled, RESP2, with a connect deadline.
 *
 * <p>Credentials and TLS come from the URLs: {@code redis://user:password@host:port/db} logs in as an ACL
 * user ({@code redis://:password@...}: the default user), {@code rediss://} speaks TLS, verifying the
 * server's certificate and host name against the JVM's trust store or the configured CA file.
 */
public final class RedisClients {

  private RedisClients() {
  }

  /** The client for the configured Redis (which must be set: {@link HubConfig.History#redis()}). */
  public static Redis create(Vertx vertx, HubConfig.History history) {
    RedisOptions options = options(history.redisTimeout());
    if (!history.redisSentinels().isEmpty()) {
      options.setType(RedisClientType.SENTINEL).setEndpoints(List.copyOf(history.redisSentinels()))
          .setMasterName(history.redisMasterName()).setRole(RedisRole.MASTER);
    } else if (history.redisMode() == HubConfig.RedisMode.CLUSTER) {
      options.setType(RedisClientType.CLUSTER).setEndpoints(List.of(history.redisUrl().split(" ")));
    } else {
      options.setConnectionString(history.redisUrl());
    }
    tls(options, history.redisCaFile());
    return Redis.createClient(vertx, options);
  }

  /** A client for one server (tests, tools). */
  public static Redis standalone(Vertx vertx, String url, Duration timeout) {
    RedisOptions options = options(timeout).setConnectionString(url);
    tls(options, "");
    return Redis.createClient(vertx, options);
  }

  private static RedisOptions options(Duration timeout) {
    return new RedisOptions()
        .setPreferredProtocolVersion(ProtocolVersion.RESP2)
        .setMaxPoolSize(16)
        .setMaxPoolWaiting(4096)
        .setPoolRecycleTimeout(15_000)
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout((int) Math.max(100, timeout.toMillis()))
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true));
  }

  /** For {@code rediss://} endpoints: verify the certificate's host name, against the CA file when one is given. */
  private static void tls(RedisOptions options, String caFile) {
    if (options.getEndpoints().stream().noneMatch(url -> url.startsWith("rediss://"))) {
      return;
    }
    NetClientOptions net = options.getNetClientOptions().setHostnameVerificationAlgorithm("HTTPS");
    if (caFile != null && !caFile.isEmpty()) {
      net.setTrustOptions(new PemTrustOptions().addCertPath(caFile));
    }
  }
}
