package io.quicksilver.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.quicksilver.config.HubConfig;

/**
 * The Hazelcast configuration of a hub node, built in code so that no default ever applies: multicast
 * and auto-detection off, the member list (TCP) or Kubernetes discovery, one bound interface, fast failure
 * detection, no phoning home. Keeps the maps Vert.x's cluster manager needs.
 */
public final class HazelcastSetup {

  private HazelcastSetup() {
  }

  /** The configuration for this node. */
  public static Config config(HubConfig.Cluster cluster) {
    Config config = new Config();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (!cluster.kubernetesService().isEmpty()) {
      // Kubernetes: members are the pods behind a headless Service, found by DNS; bind on all interfaces.
      config.setProperty("hazelcast.socket.bind.any", "true");
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", cluster.kubernetesService())
          .setProperty("service-port", String.valueOf(cluster.port()));
      network.setPublicAddress(cluster.host());
    } else {
      config.setProperty("hazelcast.socket.bind.any", "false");
      network.getInterfaces().setEnabled(true).addInterface(cluster.host());
      join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1).setMembers(cluster.members().isEmpty()
          ? java.util.List.of(cluster.host() + ":" + cluster.port())
          : cluster.members());
    }

    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs")
        .setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1).setInMemoryFormat(InMemoryFormat.BINARY));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1).setInMemoryFormat(InMemoryFormat.BINARY));
    return config;
  }
}
