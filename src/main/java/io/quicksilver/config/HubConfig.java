package io.quicksilver.config;

import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.TrustedIssuer;
import java.time.Duration;
import java.util.List;

/**
 * The hub's whole configuration, validated once at start-up and passed to verticles through their
 * constructors. Every default lives in {@link ConfigLoader#KEYS}.
 *
 * @param http          the HTTP server
 * @param auth          keys and the rules around credentials
 * @param protocol      which protocol versions are spoken, and draft-08's resource identifier and issuers
 * @param stream        subscriber stream behaviour
 * @param history       the event store
 * @param cluster       clustering with other nodes
 * @param subscriptions whether active-subscription events and the API are on
 * @param demo          the demo: price simulator, pages, alerts
 * @param ops           metrics and shutdown
 * @param logLevel      the root log level
 */
public record HubConfig(Http http, Auth auth, Protocol protocol, Stream stream, History history, Cluster cluster,
                        boolean subscriptions, Demo demo, Ops ops, String logLevel) {

  /**
   * @param host                 address to bind
   * @param port                 port to bind (0 = any free port)
   * @param maxBody              largest accepted publish body in bytes (larger: 413)
   * @param maxHeaderSize        largest accepted request header block in bytes
   * @param maxInitialLineLength largest accepted request line in bytes (holds every {@code topic} parameter)
   * @param idleTimeout          a connection with no reads and no writes for this long is closed (0 = never)
   * @param headerTimeout        a connection that has not delivered a request's head (and a publish or QUERY
   *                             body) this long after it opened or answered its previous request is closed (0 = never)
   * @param maxConnections       most open connections; streams may hold all but a tenth of them (0 = unlimited)
   * @param maxFields            most fields of a form body (413) and parameters of a query string (400)
   */
  public record Http(String host, int port, long maxBody, int maxHeaderSize, int maxInitialLineLength, Duration idleTimeout,
                     Duration headerTimeout, int maxConnections, int maxFields) {
  }

  /**
   * @param publisherKey   verifies publisher tokens
   * @param subscriberKey  verifies subscriber tokens
   * @param anonymous      whether subscribers without a token may receive public updates
   * @param cookieName     the authorization cookie
   * @param corsOrigins    origins allowed to make credentialed cross-origin requests ({@code *}: any, without credentials)
   * @param publishOrigins origins allowed to publish with the cookie ({@code *}: any)
   */
  public record Auth(JwtKey publisherKey, JwtKey subscriberKey, boolean anonymous, String cookieName,
                     List<String> corsOrigins, List<String> publishOrigins) {
    public Auth {
      corsOrigins = List.copyOf(corsOrigins);
      publishOrigins = List.copyOf(publishOrigins);
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
   */
  public record Protocol(ProtocolMode mode, String resourceIdentifier, String defaultIssuer, List<TrustedIssuer> issuers) {
    public Protocol {
      issuers = List.copyOf(issuers);
    }
  }

  /**
   * @param heartbeat        a comment is sent after this long without writes (0 = never)
   * @param writeTimeout     a stream is closed after about this long (jittered to 80–100 %; 0 = never)
   * @param dispatchTimeout  a subscriber whose writes have been stalled this long is disconnected (0 = at once)
   * @param maxTopics        most {@code topic} selectors per subscription and topics per update
   * @param subscriberBuffer most bytes queued for one subscriber before it is disconnected
   */
  public record Stream(Duration heartbeat, Duration writeTimeout, Duration dispatchTimeout, int maxTopics, long subscriberBuffer) {
  }

  /**
   * @param size         how many updates the history keeps
   * @param redisUrl     the Redis URL, or null for the in-memory store
   * @param redisStream  the Redis key prefix of the history
   * @param redisTimeout deadline of each Redis command (publish answers 503 past it)
   * @param maxBytes     most bytes of updates the in-memory history keeps (subscription events: as much again)
   */
  public record History(int size, String redisUrl, String redisStream, Duration redisTimeout, long maxBytes) {
    @Override
    public String toString() {
      return "History[size=" + size + ", maxBytes=" + maxBytes + ", redis=" + (redisUrl != null) + ", stream=" + redisStream + "]"; // never the URL's password
    }
  }

  /**
   * @param metrics      whether {@code /metrics} is served
   * @param metricsPort  0: on the hub's port; otherwise a separate port for {@code /metrics} only
   * @param metricsToken when not empty, {@code /metrics} needs {@code Authorization: Bearer <token>}
   * @param drainWindow  on SIGTERM, open streams are closed spread over this window, then the process exits
   */
  public record Ops(boolean metrics, int metricsPort, String metricsToken, Duration drainWindow) {
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
   * @param debugUi       whether the hub debugging page is served
   */
  public record Demo(boolean enabled, String publicUrl, List<String> symbols, Duration interval, double volatility,
                     long seed, List<User> users, String sessionSecret, Duration tokenTtl, boolean debugUi) {
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
   */
  public record Cluster(boolean enabled, String host, int port, int busPort, List<String> members, String name,
                        String kubernetesService) {
    public Cluster {
      members = List.copyOf(members);
    }
  }
}
