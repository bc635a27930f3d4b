package io.quicksilver.cluster;

import io.quicksilver.config.HubConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Mutual TLS on the event bus between members ({@code cluster.tls_cert}, {@code cluster.tls_key},
 * {@code cluster.tls_ca}): each member presents its certificate and accepts only peers whose certificate chains
 * to the CA, so the updates that cross the bus (private ones included) are encrypted, and a process without a
 * certificate of that CA can neither send to nor receive from the bus. Members reach each other by pod IP, so
 * certificates are checked against the CA, not against a host name.
 *
 * <p>Not covered: Hazelcast's own member traffic (membership, and the map of which node consumes which
 * address; no updates), which Hazelcast's open-source edition cannot encrypt — keep that port closed to
 * everything but the members (the Helm chart's NetworkPolicy does).
 */
public final class BusTls {

  private BusTls() {
  }

  /** Turns on mutual TLS when the configuration gives the files; leaves the options cleartext otherwise. */
  public static EventBusOptions configure(EventBusOptions options, HubConfig.Tls tls) {
    if (tls == null) {
      return options;
    }
    return options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString()))
        .setClientAuth(ClientAuth.REQUIRED);
  }
}
