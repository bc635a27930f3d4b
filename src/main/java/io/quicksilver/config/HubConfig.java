package io.quicksilver.config;

import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.KeyRing;
import io.quicksilver.auth.KeySource;
import io.quicksilver.auth.TrustedIssuer;
import io.quicksilver.mercure.ProtocolMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The hub's whole configuration, validated once at start-up and passed to verticles through their
 * constructors. Every key, with its default, is defined in {@link Keys}.
 *
 * @param http          the HTTP server
 * @param auth          keys and the rules around credentials
 * @param protocol      which protocol versions are spoken, and draft-08's resource identifier and issuers
 * @param stream        subscriber stream behaviour
 * @param history       the event store
 * @param cluster       clustering with other nodes
 * @param subscriptions whether active-subscription events and the API are on
 * @param demo          the demo: price simulator, pages, alerts
 * @param ops           metrics, readiness and shutdown
 * @param logLevel      the root log level
 * @param server        how the listener is served: event loops, TLS, HTTP/2, trusted proxies
 * @param logging       the log format and the access log
 * @param ui            whether the hub UI is served at {@code /.well-known/mercure/ui/}
 */
public record HubConfig(Http http, Auth auth, Protocol protocol, Stream stream, History history, Cluster cluster,
                        boolean subscriptions, Demo demo, Ops ops, String logLevel, Server server, Logging logging, boolean ui) {

  /**
   * @param eventLoops     event-loop threads, one HTTP verticle instance each (0: one per processor the JVM sees)
   * @param transport      the network transport
   * @param h2c            whether a cleartext listener accepts HTTP/2 (prior knowledge or {@code Upgrade: h2c})
   * @param tls            the listener's certificate and key, or null for cleartext
   * @param tlsReload      how often the certificate files are checked for a change (0: never)
   * @param trustedProxies peers whose {@code Forwarded} and {@code X-Forwarded-*} headers are honoured
   */
  public record Server(int eventLoops, Transport transport, boolean h2c, Tls tls, Duration tlsReload, List<Cidr> trustedProxies) {
    public Server {
      trustedProxies = List.copyOf(trustedProxies);
    }
  }

  /** The network transport under Vert.x. */
  public enum Transport {
    /** io_uring where the kernel (and a container's seccomp profile) allows it, otherwise NIO. */
    AUTO,
    /** io_uring, or no start. */
    IO_URING,
    /** Java's NIO selector. */
    NIO;
  }

  /**
   * PEM files of a TLS endpoint.
   *
   * @param cert the certificate chain
   * @param key  its private key
   * @param ca   the CA certificates peers must chain to (mutual TLS), or null
   */
  public record Tls(Path cert, Path key, Path ca) {
  }

  /**
   * @param format {@code text} or {@code json}
   * @param access whether each request is logged when it ends
   */
  public record Logging(String format, boolean access) {
  }

  /**
   * @param host                 address to bind
   * @param port                 port to bind (0 = any free port)
   * @param maxBody              largest accepted publish body in bytes (larger: 413)
   * @param maxHeaderSize        largest accepted request header block in bytes
   * @param maxInitialLineLength largest accepted request line in bytes (holds every {@code topic} parameter)
   * @param idleTimeout          a connection with no reads and no writes for this long is closed (0 = never)
   * @param headerTimeout        a connection that has not delivered a request's head (and a publish or QUERY
   *                             body) this long after it opened or answered its previous request is closed (0 = never)
   * @param maxConnections       most open connections; streams may hold all but a tenth of them, at most 512 kept back
   *                             (0 = derived from the open-file limit and the heap: {@code Capacity.connectionsFor})
   * @param maxFields            most fields of a form body (413) and parameters of a query string (400)
   */
  public record Http(String host, int port, long maxBody, int maxHeaderSize, int maxInitialLineLength, Duration idleTimeout,
                     Duration headerTimeout, int maxConnections, int maxFields) {
  }

  /**
   * @param publisher      verifies publisher tokens: a static key or a JWK Set
   * @param subscriber     verifies subscriber tokens: a static key or a JWK Set
   * @param anonymous      whether subscribers without a token may receive public updates
   * @param cookieName     the authorization cookie
   * @param corsOrigins    origins allowed to make credentialed cross-origin requests ({@code *}: any, without credentials)
   * @param publishOrigins origins allowed to publish with the cookie ({@code *}: any)
   * @param verification   clock leeway and how JWK Sets are read
   */
  public record Auth(KeySource publisher, KeySource subscriber, boolean anonymous, String cookieName,
                     List<String> corsOrigins, List<String> publishOrigins, KeyRing.Options verification) {
    public Auth {
      corsOrigins = List.copyOf(corsOrigins);
      publishOrigins = List.copyOf(publishOrigins);
    }

    /** The publisher's static key, or null when its keys come from a JWK Set. */
    public JwtKey publisherKey() {
      return publisher.key();
    }

    /** The subscriber's static key, or null when its keys come from a JWK Set. */
    public JwtKey subscriberKey() {
      return subscriber.key();
    }
  }

  /**
   * The protocol versions spoken, and what draft-08 access tokens are validated against.
   *
   * @param mode               classic, draft-08, or both
   * @param resourceIdentifier the hub's resource identifier (the {@code aud} draft-08 tokens must name), or null
   *                           to derive it from each request as {@code <scheme>://<host>/.well-known/mercure}
   * @param defaultIssuer      the issuer served by the classic keys ({@code default_issuer}), or null
   * @param issuers            the trusted draft-08 issuers, the default issuer first when it is configured;
   *                           identifiers are distinct
   * @throws IllegalArgumentException when two issuers share an identifier
   */
  public record Protocol(ProtocolMode mode, String resourceIdentifier, String defaultIssuer, List<TrustedIssuer> issuers) {
    public Protocol {
      issuers = List.copyOf(issuers);
      TrustedIssuer.requireDistinct(issuers);
    }
  }

  /**
   * @param heartbeat        a comment is sent after this long without writes (0 = never)
   * @param writeTimeout     a stream is closed after about this long (jittered to 80–100 %; 0 = never)
   * @param dispatchTimeout  a subscriber whose writes have been stalled this long is disconnected (0 = at once)
   * @param maxTopics        most {@code topic} selectors per subscription and topics per update
   * @param subscriberBuffer most bytes queued for one subscriber behind the event being sent before it is disconnected
   */
  public record Stream(Duration heartbeat, Duration writeTimeout, Duration dispatchTimeout, int maxTopics, long subscriberBuffer) {
  }

  /**
   * @param size            how many updates the history keeps
   * @param redisUrl        the Redis URL (in cluster mode: one or more, space-separated), or null
   * @param redisPrefix     the Redis key prefix of the history (its keys share the hash tag {@code {prefix}})
   * @param redisTimeout    deadline of each Redis command (an append not confirmed by then is cancelled)
   * @param redisMode       one Redis (possibly found through Sentinel), or a Redis Cluster
   * @param redisSentinels  Sentinel URLs naming the master (instead of {@code redisUrl}), or empty
   * @param redisMasterName the master's name in Sentinel
   * @param redisCaFile     PEM file of CA certificates trusted for {@code rediss://}, or empty for the JVM's
   * @param maxBytes        most bytes of updates the in-memory history keeps (subscription events: as much again)
   */
  public record History(int size, String redisUrl, String redisPrefix, Duration redisTimeout,
                        RedisMode redisMode, List<String> redisSentinels, String redisMasterName, String redisCaFile,
                        long maxBytes) {
    public History {
      redisSentinels = List.copyOf(redisSentinels);
    }

    /** Whether the history lives in Redis (else in memory). */
    public boolean redis() {
      return redisUrl != null || !redisSentinels.isEmpty();
    }

    @Override
    public String toString() {
      return "History[size=" + size + ", maxBytes=" + maxBytes + ", redis=" + redis() + ", mode=" + redisMode + ", sentinel=" + !redisSentinels.isEmpty()
          + ", prefix=" + redisPrefix + "]"; // never the URLs' passwords
    }
  }

  /** How Redis is deployed. */
  public enum RedisMode {
    /** One server, or one master with replicas found through Sentinel. */
    STANDALONE,
    /** A Redis Cluster: every key of the history shares one hash slot. */
    CLUSTER;
  }

  /**
   * @param metrics      whether {@code /metrics} is served
   * @param metricsPort  0: on the hub's port; otherwise a separate port for {@code /metrics} only
   * @param metricsToken when not empty, {@code /metrics} needs {@code Authorization: Bearer <token>}
   * @param drainWindow  on SIGTERM, open streams are closed spread over this window, then the process exits
   * @param readinessRequiresRedis whether {@code /readyz} fails while Redis is unreachable (else: ready, store degraded)
   * @param warmUp       how long {@code serve} runs the hub's request paths on a private hub before it starts (0: not)
   */
  public record Ops(boolean metrics, int metricsPort, String metricsToken, Duration drainWindow, boolean readinessRequiresRedis,
                    Duration warmUp) {
    @Override
    public String toString() {
      return "Ops[metrics=" + metrics + ", port=" + metricsPort + ", drain=" + drainWindow + "]"; // never the token
    }
  }

  /**
   * @param enabled       whether the demo runs (simulator, alerts, pages and their API)
   * @param publicUrl     the hub's public base URL; demo topics live under it ({@code <publicUrl>/stocks/AAPL})
   * @param symbols       the simulated symbols
   * @param interval      time between two ticks of every symbol
   * @param volatility    annualised volatility of the random walk (0.3 = 30 %)
   * @param seed          the random seed (same seed, same prices)
   * @param users         demo users
   * @param sessionSecret signs session cookies (every node of a cluster needs the same)
   * @param tokenTtl      lifetime of the subscriber token set as a cookie at login
   */
  public record Demo(boolean enabled, String publicUrl, List<String> symbols, Duration interval, double volatility,
                     long seed, List<User> users, String sessionSecret, Duration tokenTtl) {
    public Demo {
      symbols = List.copyOf(symbols);
      users = List.copyOf(users);
    }

    @Override
    public String toString() {
      return "Demo[enabled=" + enabled + ", publicUrl=" + publicUrl + ", symbols=" + symbols + "]"; // never the secret
    }
  }

  /**
   * A demo user.
   *
   * @param id           stable id (used in topics)
   * @param name         display name
   * @param passwordHash {@code pbkdf2-sha256:<iterations>:<salt base64>:<hash base64>}
   */
  public record User(String id, String name, String passwordHash) {
    @Override
    public String toString() {
      return "User[" + id + "]";
    }
  }

  /**
   * @param enabled           whether this node joins a cluster (then Redis is required)
   * @param host              the address this node binds and advertises for the cluster and the event bus
   * @param port              the Hazelcast member port
   * @param busPort           the event-bus port (0: any free port)
   * @param members           the other members as {@code host:port} (TCP join), when not on Kubernetes
   * @param name              the cluster name; nodes with another name never join
   * @param kubernetesService the headless Service DNS name for Kubernetes discovery (empty: TCP member list)
   * @param busTls            the event bus's mutual TLS between members (certificate, key, CA), or null for cleartext
   */
  public record Cluster(boolean enabled, String host, int port, int busPort, List<String> members, String name,
                        String kubernetesService, Tls busTls) {
    public Cluster {
      members = List.copyOf(members);
    }
  }
}
