package io.quicksilver.config;

import io.quicksilver.auth.TrustedIssuer;
import io.quicksilver.config.Key.Kind;
import io.quicksilver.mercure.ProtocolMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every configuration key of the hub, each defined once: name, environment variable, kind and parser, default and
 * meaning. The loader reads these and nothing else; README's configuration table, {@code conf/quicksilver.yaml} and
 * the Helm chart are checked against them ({@code KeysDocumentationTest}). The order is README's.
 *
 * <p>Rules that tie several keys together (a key or a JWK Set per role, TLS files that go together, what a cluster
 * or the demo needs) are the loader's.
 */
public final class Keys {

  /** Filled by the definitions below, in order (it must come first: static fields are set in textual order). */
  private static final List<Key<?>> DEFINED = new ArrayList<>();

  static final Key<String> HTTP_HOST = text("http.host", "QS_HTTP_HOST", "127.0.0.1", Parsers::nonEmpty, "address to bind");
  static final Key<Integer> HTTP_PORT = integer("http.port", "QS_HTTP_PORT", "8080", 0, 65535, "port to bind");
  static final Key<Long> MAX_BODY = size("http.max_body", "QS_MAX_BODY", "1MiB", 1, Integer.MAX_VALUE, "largest publish body (larger: 413)");
  static final Key<Long> MAX_HEADER_SIZE = size("http.max_header_size", "QS_MAX_HEADER_SIZE", "64KiB", 1024, 16L << 20,
      "largest request header block (larger: 431)");
  static final Key<Long> MAX_INITIAL_LINE = size("http.max_initial_line", "QS_MAX_INITIAL_LINE", "128KiB", 1024, 16L << 20,
      "largest request line, which holds every topic parameter (larger: 414)");
  static final Key<Duration> IDLE_TIMEOUT = duration("http.idle_timeout", "QS_IDLE_TIMEOUT", "120s",
      "close connections without reads or writes for this long (0: never)");
  static final Key<String> PUBLISHER_KEY = secret("jwt.publisher_key", "MERCURE_PUBLISHER_JWT_KEY", null,
      "publisher key: HMAC secret, or SPKI PEM public key");
  static final Key<String> PUBLISHER_ALG = text("jwt.publisher_alg", "MERCURE_PUBLISHER_JWT_ALG", "HS256", Parsers::jwtAlgorithm,
      "publisher algorithm (HS/RS/ES 256/384/512)");
  static final Key<String> SUBSCRIBER_KEY = secret("jwt.subscriber_key", "MERCURE_SUBSCRIBER_JWT_KEY", null,
      "subscriber key: HMAC secret, or SPKI PEM public key");
  static final Key<String> SUBSCRIBER_ALG = text("jwt.subscriber_alg", "MERCURE_SUBSCRIBER_JWT_ALG", "HS256", Parsers::jwtAlgorithm,
      "subscriber algorithm (HS/RS/ES 256/384/512)");
  static final Key<String> PUBLISHER_JWKS_URL = text("jwt.publisher_jwks_url", "MERCURE_PUBLISHER_JWKS_URL", "", s -> s,
      "publisher keys from a JWK Set instead of jwt.publisher_key: an https:// or file:// URL");
  static final Key<String> SUBSCRIBER_JWKS_URL = text("jwt.subscriber_jwks_url", "MERCURE_SUBSCRIBER_JWKS_URL", "", s -> s,
      "subscriber keys from a JWK Set instead of jwt.subscriber_key: an https:// or file:// URL");
  static final Key<Duration> JWKS_REFRESH = define("jwt.jwks_refresh", "QS_JWKS_REFRESH", Kind.DURATION, "5m", Parsers::positiveDuration,
      "JWK Sets are read again this often; a token naming a key they lack makes a read at most every 10s (or every jwks_refresh if shorter)");
  static final Key<Path> JWKS_CA_FILE = file("jwt.jwks_ca_file", "QS_JWKS_CA_FILE",
      "PEM file of the CA certificates trusted for https:// JWK Sets (empty: the JVM's trust store)");
  static final Key<Duration> LEEWAY = define("jwt.leeway", "QS_JWT_LEEWAY", Kind.DURATION, "0", Parsers::leeway,
      "clock skew tolerated on a token's exp, nbf and iat, in whole seconds");
  static final Key<Boolean> ANONYMOUS = flag("anonymous", "QS_ANONYMOUS", "false", "let subscribers without a token receive public updates");
  static final Key<String> COOKIE_NAME = text("cookie_name", "QS_COOKIE_NAME", "mercureAuthorization", Parsers::cookieName,
      "the authorization cookie");
  static final Key<List<String>> CORS_ORIGINS = list("cors_origins", "QS_CORS_ORIGINS", "", Parsers::origins,
      "origins allowed cross-origin with credentials, space-separated (* = any, without credentials)");
  static final Key<List<String>> PUBLISH_ORIGINS = list("publish_origins", "QS_PUBLISH_ORIGINS", "", Parsers::origins,
      "origins allowed to publish with the cookie, space-separated (* = any)");
  static final Key<ProtocolMode> PROTOCOL = define("protocol", "QS_PROTOCOL", Kind.TEXT, "both", ProtocolMode::parse,
      "Mercure protocol versions spoken: both, classic, draft-08");
  static final Key<String> RESOURCE_IDENTIFIER = text("resource_identifier", "QS_RESOURCE_IDENTIFIER", "", Parsers::resourceIdentifier,
      "the hub's resource identifier, the aud draft-08 tokens must name; an http(s) URL without fragment "
          + "(empty: <scheme>://<host>/.well-known/mercure of each request)");
  static final Key<String> DEFAULT_ISSUER = text("default_issuer", "QS_DEFAULT_ISSUER", "", s -> s,
      "issuer (iss) of the draft-08 tokens the jwt.* keys verify (empty: they verify no draft-08 token)");
  static final Key<List<TrustedIssuer>> TRUSTED_ISSUERS = define("trusted_issuers", "QS_TRUSTED_ISSUERS", Kind.MAPS, "", TrustedIssuers::parse,
      "further draft-08 issuers: in YAML a list of maps, in the environment a JSON array of objects, each with "
          + "issuer, and publisher_key with publisher_alg and/or subscriber_key with subscriber_alg (keys as for jwt.*; at least one role), "
          + "or jwks_uri (https:// or file://) with optional jwks_algorithms (a list; empty: the alg each key declares)");
  static final Key<Duration> HEARTBEAT = duration("heartbeat", "QS_HEARTBEAT", "40s", "comment sent on an idle stream after this long (0: off)");
  static final Key<Duration> WRITE_TIMEOUT = duration("write_timeout", "QS_WRITE_TIMEOUT", "600s",
      "streams close after about this long, jittered 80-100% (0: never)");
  static final Key<Duration> DISPATCH_TIMEOUT = duration("dispatch_timeout", "QS_DISPATCH_TIMEOUT", "5s",
      "a subscriber whose writes stay stalled this long is disconnected");
  static final Key<Integer> MAX_TOPICS = integer("max_topics", "QS_MAX_TOPICS", "1000", 1, 100_000,
      "most topic selectors per subscription and topics per update (more: 400)");
  static final Key<Long> SUBSCRIBER_BUFFER = size("subscriber_buffer", "QS_SUBSCRIBER_BUFFER", "4MiB", 1024, 1L << 30,
      "most bytes queued for one subscriber behind the event being sent before it is disconnected");
  static final Key<Integer> HISTORY_SIZE = integer("history.size", "QS_HISTORY_SIZE", "10000", 1, 100_000_000, "updates kept for replay");
  static final Key<String> REDIS_URL = text("history.redis_url", "QS_REDIS_URL", "", Parsers::redisUrls,
      "Redis URL for the history (empty: in memory)");
  static final Key<String> REDIS_PREFIX = text("history.redis_prefix", "QS_REDIS_PREFIX", "quicksilver", Parsers::nonEmpty,
      "Redis key prefix of the history (formerly history.redis_stream, QS_REDIS_STREAM: still read, with a warning)");
  static final Key<Duration> REDIS_TIMEOUT = define("history.redis_timeout", "QS_REDIS_TIMEOUT", Kind.DURATION, "2s", Parsers::positiveDuration,
      "deadline of each Redis command; an append not confirmed by then is cancelled (see Redis history)");
  static final Key<Boolean> CLUSTER = flag("cluster.enabled", "QS_CLUSTER", "false", "join a cluster of hub nodes (requires Redis)");
  static final Key<String> CLUSTER_HOST = text("cluster.host", "QS_CLUSTER_HOST", "127.0.0.1", Parsers::nonEmpty,
      "address this node binds and advertises to the cluster");
  static final Key<Integer> CLUSTER_PORT = integer("cluster.port", "QS_CLUSTER_PORT", "5701", 1, 65535, "Hazelcast member port");
  static final Key<Integer> CLUSTER_BUS_PORT = integer("cluster.bus_port", "QS_CLUSTER_BUS_PORT", "0", 0, 65535, "event-bus port (0: any free port)");
  static final Key<List<String>> CLUSTER_MEMBERS = list("cluster.members", "QS_CLUSTER_MEMBERS", "", Parsers::members,
      "other members, space-separated host:port (TCP join)");
  static final Key<String> CLUSTER_NAME = text("cluster.name", "QS_CLUSTER_NAME", "quicksilver", Parsers::nonEmpty,
      "cluster name; only nodes with the same name join");
  static final Key<String> KUBERNETES_SERVICE = text("cluster.kubernetes_service", "QS_CLUSTER_KUBERNETES_SERVICE", "", s -> s,
      "headless Service DNS name for Kubernetes discovery (instead of members)");
  static final Key<Boolean> SUBSCRIPTIONS = flag("subscriptions", "QS_SUBSCRIPTIONS", "false", "active subscriptions (events and API)");
  static final Key<Boolean> DEMO = flag("demo.enabled", "QS_DEMO", "false", "run the demo: price simulator, ticker and alerts pages, alerts API");
  static final Key<String> PUBLIC_URL = text("demo.public_url", "QS_PUBLIC_URL", "http://localhost:8080", Parsers::publicUrl,
      "public base URL of the hub; demo topics live under it");
  static final Key<List<String>> DEMO_SYMBOLS = list("demo.symbols", "QS_DEMO_SYMBOLS", "AAPL MSFT GOOG AMZN TSLA NVDA", Parsers::symbols,
      "simulated symbols, space-separated");
  static final Key<Duration> DEMO_INTERVAL = define("demo.interval", "QS_DEMO_INTERVAL", Kind.DURATION, "1s", Parsers::positiveDuration,
      "time between two price ticks");
  static final Key<Double> DEMO_VOLATILITY = define("demo.volatility", "QS_DEMO_VOLATILITY", Kind.NUMBER, "0.4", s -> Parsers.doubleIn(s, 0, 5),
      "annualised volatility of the simulated prices");
  static final Key<Long> DEMO_SEED = define("demo.seed", "QS_DEMO_SEED", Kind.INTEGER, "42", Long::parseLong, "random seed of the simulator");
  static final Key<List<HubConfig.User>> DEMO_USERS = list("demo.users", "QS_DEMO_USERS", "", Parsers::users,
      "demo users, space-separated id:name:pbkdf2-hash (see hash-password)");
  static final Key<String> SESSION_SECRET = secret("demo.session_secret", "QS_SESSION_SECRET", "",
      "signs demo session cookies; same on every node (empty: random per process)");
  static final Key<Duration> DEMO_TOKEN_TTL = define("demo.token_ttl", "QS_DEMO_TOKEN_TTL", Kind.DURATION, "5m", Parsers::positiveDuration,
      "lifetime of the subscriber token set at login");
  static final Key<Boolean> METRICS = flag("metrics.enabled", "QS_METRICS", "true", "serve Prometheus metrics at /metrics");
  static final Key<Integer> METRICS_PORT = integer("metrics.port", "QS_METRICS_PORT", "0", 0, 65535,
      "0: /metrics on the hub's port; else a separate port for it");
  static final Key<String> METRICS_TOKEN = text("metrics.token", "QS_METRICS_TOKEN", "", s -> s,
      "when set, /metrics needs Authorization: Bearer <token>");
  static final Key<Duration> WARM_UP = duration("warm_up", "QS_WARM_UP", "3s",
      "before listening, serve runs publishes and subscriptions on a private in-memory hub for this long, so the first clients meet "
          + "compiled code (0: off)");
  static final Key<Duration> DRAIN_WINDOW = duration("drain_window", "QS_DRAIN_WINDOW", "20s",
      "on SIGTERM: readiness 503 at once, streams closed spread over this window, then exit");
  static final Key<String> LOG_LEVEL = text("log_level", "QS_LOG_LEVEL", "INFO", Parsers::logLevel, "root log level (ERROR, WARN, INFO, DEBUG, TRACE)");
  static final Key<Path> TLS_CERT = file("http.tls_cert", "QS_TLS_CERT",
      "PEM certificate chain file: the listener serves HTTPS, HTTP/2 and HTTP/1.1 by ALPN (empty: cleartext)");
  static final Key<Path> TLS_KEY = file("http.tls_key", "QS_TLS_KEY", "PEM private key file of http.tls_cert (PKCS#8 or PKCS#1)");
  static final Key<Duration> TLS_RELOAD = duration("http.tls_reload", "QS_TLS_RELOAD", "30s",
      "how often the certificate and key files are checked; a change is served to new connections (0: never)");
  static final Key<Boolean> H2C = flag("http.h2c", "QS_H2C", "false",
      "accept cleartext HTTP/2 (prior knowledge or Upgrade: h2c) on a listener without TLS, for proxies that speak it");
  static final Key<List<Cidr>> TRUSTED_PROXIES = list("http.trusted_proxies", "QS_TRUSTED_PROXIES", "", Parsers::cidrs,
      "peers whose Forwarded and X-Forwarded-* headers are honoured: IP addresses or CIDR blocks, space-separated");
  static final Key<Integer> EVENT_LOOPS = integer("http.event_loops", "QS_EVENT_LOOPS", "0", 0, 1024,
      "event-loop threads, one HTTP verticle each (0: one per processor the JVM sees)");
  static final Key<HubConfig.Transport> TRANSPORT = define("http.transport", "QS_TRANSPORT", Kind.TEXT, "auto", s -> Parsers.constant(HubConfig.Transport.class, "a transport", s),
      "network transport: auto (io_uring where the kernel allows it, otherwise nio), io_uring (no start without it) or nio");
  static final Key<String> LOG_FORMAT = text("log.format", "QS_LOG_FORMAT", "text", Parsers::logFormat,
      "log format: text (a line with date and time) or json (one JSON object a line)");
  static final Key<Boolean> ACCESS_LOG = flag("log.access", "QS_ACCESS_LOG", "false",
      "log each request when it ends: method, path (never the query), status, duration, client");
  static final Key<Boolean> READINESS_REQUIRES_REDIS = flag("readiness.require_redis", "QS_READINESS_REQUIRE_REDIS", "false",
      "/readyz answers 503 while Redis is unreachable (otherwise it reports the store as degraded and stays ready)");
  static final Key<Path> CLUSTER_TLS_CERT = file("cluster.tls_cert", "QS_CLUSTER_TLS_CERT",
      "PEM certificate of this member: with tls_key and tls_ca the event bus between members uses mutual TLS");
  static final Key<Path> CLUSTER_TLS_KEY = file("cluster.tls_key", "QS_CLUSTER_TLS_KEY", "PEM private key file of cluster.tls_cert");
  static final Key<Path> CLUSTER_TLS_CA = file("cluster.tls_ca", "QS_CLUSTER_TLS_CA",
      "PEM file of the CA certificates every member's event-bus certificate must chain to");
  static final Key<Boolean> UI = flag("ui", "QS_UI", "false",
      "serve the hub UI at /.well-known/mercure/ui/ (subscribe, publish, see events and subscriptions)");
  static final Key<HubConfig.RedisMode> REDIS_MODE = define("history.redis_mode", "QS_REDIS_MODE", Kind.TEXT, "standalone", s -> Parsers.constant(HubConfig.RedisMode.class, "a Redis mode", s),
      "standalone: one Redis (at redis_url, or the master redis_sentinels name); "
          + "cluster: a Redis Cluster, redis_url lists one or more of its nodes, space-separated");
  static final Key<List<String>> REDIS_SENTINELS = list("history.redis_sentinels", "QS_REDIS_SENTINELS", "",
      s -> s.isEmpty() ? List.of() : List.of(Parsers.redisUrls(s).split(" ")),
      "Redis Sentinel URLs, space-separated, instead of redis_url: the history lives on "
          + "the master they name and follows its failovers (their user, password and rediss:// apply to the master too)");
  static final Key<String> REDIS_MASTER = text("history.redis_master_name", "QS_REDIS_MASTER", "mymaster", Parsers::nonEmpty,
      "the master's name in Sentinel");
  static final Key<String> REDIS_CA_FILE = define("history.redis_ca_file", "QS_REDIS_CA_FILE", Kind.FILE, "", Parsers::readableFileOrEmpty,
      "PEM file of the CA certificates trusted for rediss:// (empty: the JVM's trust store)");
  static final Key<Duration> HEADER_TIMEOUT = duration("http.header_timeout", "QS_HEADER_TIMEOUT", "10s",
      "a request's head, and a publish or QUERY body, must arrive within this long of the connection opening or its last answer; "
          + "else the connection is closed (0: never)");
  static final Key<Integer> MAX_CONNECTIONS = integer("http.max_connections", "QS_MAX_CONNECTIONS", "0", 0, 10_000_000,
      "most open connections on this node (more: closed at once); streams get all but a tenth of them, at most 512 kept back (more: 503 with Retry-After) (0: as many as the open-file limit, less 256, and the heap, at 32 KiB a connection, allow)");
  static final Key<Integer> MAX_FIELDS = integer("http.max_fields", "QS_MAX_FIELDS", "2000", 16, 10_000_000,
      "most fields in a form body (more: 413) and parameters in a query string (more: 400)");
  static final Key<Long> HISTORY_MAX_BYTES = size("history.max_bytes", "QS_HISTORY_MAX_BYTES", "64MiB", 64L << 10, 1L << 40,
      "most bytes of updates the in-memory history keeps (the oldest are dropped first); subscription events get as much again");

  /** Every key, in README's order. */
  public static final List<Key<?>> ALL = List.copyOf(DEFINED);

  /**
   * A key's former name and variable: still read as the key (where both are set at one level, file or environment,
   * the key's own name wins), with a warning at start-up.
   *
   * @param name the former dotted name
   * @param env  the former environment variable
   * @param key  the key it now is
   */
  public record Alias(String name, String env, Key<?> key) {
  }

  /** The former names that still work. */
  public static final List<Alias> DEPRECATED = List.of(
      new Alias("history.redis_stream", "QS_REDIS_STREAM", REDIS_PREFIX)); // it names a key prefix, not a stream

  private Keys() {
  }

  /** The key with this dotted name. */
  public static Optional<Key<?>> named(String name) {
    return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  /** The key read from this environment variable. */
  public static Optional<Key<?>> ofEnv(String env) {
    return ALL.stream().filter(k -> k.env().equals(env)).findFirst();
  }

  /** The former name {@code name} is one of, if any. */
  public static Optional<Alias> formerName(String name) {
    return DEPRECATED.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** Whether a key was once read from this environment variable. */
  public static boolean isFormerEnv(String env) {
    return DEPRECATED.stream().anyMatch(a -> a.env().equals(env));
  }

  private static <T> Key<T> define(String name, String env, Kind kind, String defaultValue, Function<String, T> parser, String help) {
    Key<T> key = new Key<>(name, env, kind, defaultValue, parser, help);
    DEFINED.add(key);
    return key;
  }

  private static Key<String> text(String name, String env, String defaultValue, Function<String, String> parser, String help) {
    return define(name, env, Kind.TEXT, defaultValue, parser, help);
  }

  private static Key<String> secret(String name, String env, String defaultValue, String help) {
    return define(name, env, Kind.SECRET, defaultValue, s -> s, help);
  }

  private static Key<Boolean> flag(String name, String env, String defaultValue, String help) {
    return define(name, env, Kind.BOOLEAN, defaultValue, Parsers::bool, help);
  }

  private static Key<Integer> integer(String name, String env, String defaultValue, int min, int max, String help) {
    return define(name, env, Kind.INTEGER, defaultValue, s -> Parsers.intIn(s, min, max), help);
  }

  private static Key<Long> size(String name, String env, String defaultValue, long min, long max, String help) {
    return define(name, env, Kind.SIZE, defaultValue, s -> Parsers.sizeIn(s, min, max), help);
  }

  private static Key<Duration> duration(String name, String env, String defaultValue, String help) {
    return define(name, env, Kind.DURATION, defaultValue, Durations::parse, help);
  }

  private static <T> Key<List<T>> list(String name, String env, String defaultValue, Function<String, List<T>> parser, String help) {
    return define(name, env, Kind.LIST, defaultValue, parser, help);
  }

  private static Key<Path> file(String name, String env, String help) {
    return define(name, env, Kind.FILE, "", Parsers::readableFile, help);
  }
}
