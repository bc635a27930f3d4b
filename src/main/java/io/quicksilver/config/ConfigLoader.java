package io.quicksilver.config;

import io.quicksilver.auth.JwkSetLocation;
import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.KeyRing;
import io.quicksilver.auth.KeySource;
import io.quicksilver.auth.TrustedIssuer;
import io.quicksilver.mercure.Draft08Topics;
import io.quicksilver.mercure.ProtocolMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Builds the {@link HubConfig} from built-in defaults, a YAML file, and environment variables, in that
 * order of precedence (the environment wins).
 *
 * <p>The file is {@code $QS_CONFIG}, else {@code conf/quicksilver.yaml} when it exists in the working
 * directory. Its keys are those of {@link #KEYS}, nested by dots ({@code http.port} is {@code port} under
 * {@code http}). An unknown key, an unknown {@code QS_*} variable, or a malformed value stops start-up
 * with a message naming the key. Runs before Vert.x starts (it reads a file).
 */
public final class ConfigLoader {

  /** A configuration key: its dotted name, its environment variable, its default (null = none), and what it holds. */
  public record Key(String name, String env, String defaultValue, String help) {
  }

  /** The environment variable naming the config file. */
  public static final String CONFIG_ENV = "QS_CONFIG";
  /** The config file read when {@link #CONFIG_ENV} is unset and the file exists. */
  public static final Path DEFAULT_FILE = Path.of("conf", "quicksilver.yaml");

  /** Every key, with its default. README's configuration table mirrors this list. */
  public static final List<Key> KEYS = List.of(
      new Key("http.host", "QS_HTTP_HOST", "127.0.0.1", "address to bind"),
      new Key("http.port", "QS_HTTP_PORT", "8080", "port to bind"),
      new Key("http.max_body", "QS_MAX_BODY", "1MiB", "largest publish body (larger: 413)"),
      new Key("http.max_header_size", "QS_MAX_HEADER_SIZE", "64KiB", "largest request header block (larger: 431)"),
      new Key("http.max_initial_line", "QS_MAX_INITIAL_LINE", "128KiB", "largest request line, which holds every topic parameter (larger: 414)"),
      new Key("http.idle_timeout", "QS_IDLE_TIMEOUT", "120s", "close connections without reads or writes for this long (0: never)"),
      new Key("jwt.publisher_key", "MERCURE_PUBLISHER_JWT_KEY", null, "publisher key: HMAC secret, or SPKI PEM public key"),
      new Key("jwt.publisher_alg", "MERCURE_PUBLISHER_JWT_ALG", "HS256", "publisher algorithm (HS/RS/ES 256/384/512)"),
      new Key("jwt.subscriber_key", "MERCURE_SUBSCRIBER_JWT_KEY", null, "subscriber key: HMAC secret, or SPKI PEM public key"),
      new Key("jwt.subscriber_alg", "MERCURE_SUBSCRIBER_JWT_ALG", "HS256", "subscriber algorithm (HS/RS/ES 256/384/512)"),
      new Key("jwt.publisher_jwks_url", "MERCURE_PUBLISHER_JWKS_URL", "", "publisher keys from a JWK Set instead of jwt.publisher_key: an https:// or file:// URL"),
      new Key("jwt.subscriber_jwks_url", "MERCURE_SUBSCRIBER_JWKS_URL", "", "subscriber keys from a JWK Set instead of jwt.subscriber_key: an https:// or file:// URL"),
      new Key("jwt.jwks_refresh", "QS_JWKS_REFRESH", "5m", "JWK Sets are read again this often; a token naming a key they lack makes a read at most every 10s (or every jwks_refresh if shorter)"),
      new Key("jwt.jwks_ca_file", "QS_JWKS_CA_FILE", "", "PEM file of the CA certificates trusted for https:// JWK Sets (empty: the JVM's trust store)"),
      new Key("jwt.leeway", "QS_JWT_LEEWAY", "0", "clock skew tolerated on a token's exp, nbf and iat, in whole seconds"),
      new Key("anonymous", "QS_ANONYMOUS", "false", "let subscribers without a token receive public updates"),
      new Key("cookie_name", "QS_COOKIE_NAME", "mercureAuthorization", "the authorization cookie"),
      new Key("cors_origins", "QS_CORS_ORIGINS", "", "origins allowed cross-origin with credentials, space-separated (* = any, without credentials)"),
      new Key("publish_origins", "QS_PUBLISH_ORIGINS", "", "origins allowed to publish with the cookie, space-separated (* = any)"),
      new Key("protocol", "QS_PROTOCOL", "both", "Mercure protocol versions spoken: both, classic, draft-08"),
      new Key("resource_identifier", "QS_RESOURCE_IDENTIFIER", "", "the hub's resource identifier, the aud draft-08 tokens must name; an http(s) URL without fragment (empty: <scheme>://<host>/.well-known/mercure of each request)"),
      new Key("default_issuer", "QS_DEFAULT_ISSUER", "", "issuer identifier (iss) of the draft-08 tokens the jwt.* keys verify (empty: those keys verify no draft-08 token)"),
      new Key("trusted_issuers", "QS_TRUSTED_ISSUERS", "", "further draft-08 issuers: in YAML a list of maps, in the environment a JSON array of objects, each with "
          + "issuer, and publisher_key with publisher_alg and/or subscriber_key with subscriber_alg (keys as for jwt.*; at least one role), "
          + "or jwks_uri (https:// or file://) with optional jwks_algorithms (a list; empty: the alg each key declares)"),
      new Key("heartbeat", "QS_HEARTBEAT", "40s", "comment sent on an idle stream after this long (0: off)"),
      new Key("write_timeout", "QS_WRITE_TIMEOUT", "600s", "streams close after about this long, jittered 80-100% (0: never)"),
      new Key("dispatch_timeout", "QS_DISPATCH_TIMEOUT", "5s", "a subscriber whose writes stay stalled this long is disconnected"),
      new Key("max_topics", "QS_MAX_TOPICS", "1000", "most topic selectors per subscription and topics per update (more: 400)"),
      new Key("subscriber_buffer", "QS_SUBSCRIBER_BUFFER", "4MiB", "most bytes queued for one subscriber before it is disconnected"),
      new Key("history.size", "QS_HISTORY_SIZE", "10000", "updates kept for replay"),
      new Key("history.redis_url", "QS_REDIS_URL", "", "Redis URL for the history (empty: in memory)"),
      new Key("history.redis_stream", "QS_REDIS_STREAM", "quicksilver", "Redis key prefix of the history"),
      new Key("history.redis_timeout", "QS_REDIS_TIMEOUT", "2s", "deadline of each Redis command; an append not confirmed by then is cancelled (see Redis history)"),
      new Key("cluster.enabled", "QS_CLUSTER", "false", "join a cluster of hub nodes (requires Redis)"),
      new Key("cluster.host", "QS_CLUSTER_HOST", "127.0.0.1", "address this node binds and advertises to the cluster"),
      new Key("cluster.port", "QS_CLUSTER_PORT", "5701", "Hazelcast member port"),
      new Key("cluster.bus_port", "QS_CLUSTER_BUS_PORT", "0", "event-bus port (0: any free port)"),
      new Key("cluster.members", "QS_CLUSTER_MEMBERS", "", "other members, space-separated host:port (TCP join)"),
      new Key("cluster.name", "QS_CLUSTER_NAME", "quicksilver", "cluster name; only nodes with the same name join"),
      new Key("cluster.kubernetes_service", "QS_CLUSTER_KUBERNETES_SERVICE", "", "headless Service DNS name for Kubernetes discovery (instead of members)"),
      new Key("subscriptions", "QS_SUBSCRIPTIONS", "false", "active subscriptions (events and API)"),
      new Key("demo.enabled", "QS_DEMO", "false", "run the demo: price simulator, ticker and alerts pages, alerts API"),
      new Key("demo.public_url", "QS_PUBLIC_URL", "http://localhost:8080", "public base URL of the hub; demo topics live under it"),
      new Key("demo.symbols", "QS_DEMO_SYMBOLS", "AAPL MSFT GOOG AMZN TSLA NVDA", "simulated symbols, space-separated"),
      new Key("demo.interval", "QS_DEMO_INTERVAL", "1s", "time between two price ticks"),
      new Key("demo.volatility", "QS_DEMO_VOLATILITY", "0.4", "annualised volatility of the simulated prices"),
      new Key("demo.seed", "QS_DEMO_SEED", "42", "random seed of the simulator"),
      new Key("demo.users", "QS_DEMO_USERS", "", "demo users, space-separated id:name:pbkdf2-hash (see `hash-password`)"),
      new Key("demo.session_secret", "QS_SESSION_SECRET", "", "signs demo session cookies; same on every node (empty: random per process)"),
      new Key("demo.token_ttl", "QS_DEMO_TOKEN_TTL", "5m", "lifetime of the subscriber token set at login"),
      new Key("metrics.enabled", "QS_METRICS", "true", "serve Prometheus metrics at /metrics"),
      new Key("metrics.port", "QS_METRICS_PORT", "0", "0: /metrics on the hub's port; else a separate port for it"),
      new Key("metrics.token", "QS_METRICS_TOKEN", "", "when set, /metrics needs Authorization: Bearer <token>"),
      new Key("warm_up", "QS_WARM_UP", "3s", "before listening, `serve` runs publishes and subscriptions on a private in-memory hub "
          + "for this long, so the first clients meet compiled code (0: off)"),
      new Key("drain_window", "QS_DRAIN_WINDOW", "20s", "on SIGTERM: readiness 503 at once, streams closed spread over this window, then exit"),
      new Key("log_level", "QS_LOG_LEVEL", "INFO", "root log level (ERROR, WARN, INFO, DEBUG, TRACE)"),
      new Key("http.tls_cert", "QS_TLS_CERT", "", "PEM certificate chain file: the listener serves HTTPS, HTTP/2 and HTTP/1.1 by ALPN (empty: cleartext)"),
      new Key("http.tls_key", "QS_TLS_KEY", "", "PEM private key file of http.tls_cert (PKCS#8 or PKCS#1)"),
      new Key("http.tls_reload", "QS_TLS_RELOAD", "30s", "how often the certificate and key files are checked; a change is served to new connections (0: never)"),
      new Key("http.h2c", "QS_H2C", "false", "accept cleartext HTTP/2 (prior knowledge or Upgrade: h2c) on a listener without TLS, for proxies that speak it"),
      new Key("http.trusted_proxies", "QS_TRUSTED_PROXIES", "", "peers whose Forwarded and X-Forwarded-* headers are honoured: IP addresses or CIDR blocks, space-separated"),
      new Key("http.event_loops", "QS_EVENT_LOOPS", "0", "event-loop threads, one HTTP verticle each (0: one per processor the JVM sees)"),
      new Key("log.format", "QS_LOG_FORMAT", "text", "log format: text (a line with date and time) or json (one JSON object a line)"),
      new Key("log.access", "QS_ACCESS_LOG", "false", "log each request when it ends: method, path (never the query), status, duration, client"),
      new Key("readiness.require_redis", "QS_READINESS_REQUIRE_REDIS", "false", "/readyz answers 503 while Redis is unreachable (otherwise it reports the store as degraded and stays ready)"),
      new Key("cluster.tls_cert", "QS_CLUSTER_TLS_CERT", "", "PEM certificate of this member: with tls_key and tls_ca the event bus between members uses mutual TLS"),
      new Key("cluster.tls_key", "QS_CLUSTER_TLS_KEY", "", "PEM private key file of cluster.tls_cert"),
      new Key("cluster.tls_ca", "QS_CLUSTER_TLS_CA", "", "PEM file of the CA certificates every member's event-bus certificate must chain to"),
      new Key("ui", "QS_UI", "false", "serve the hub UI at /.well-known/mercure/ui/ (subscribe, publish, see events and subscriptions)"),

      new Key("history.redis_mode", "QS_REDIS_MODE", "standalone", "standalone: one Redis (at redis_url, or the master redis_sentinels name); "
          + "cluster: a Redis Cluster, redis_url lists one or more of its nodes, space-separated"),
      new Key("history.redis_sentinels", "QS_REDIS_SENTINELS", "", "Redis Sentinel URLs, space-separated, instead of redis_url: the history lives on "
          + "the master they name and follows its failovers (their user, password and rediss:// apply to the master too)"),
      new Key("history.redis_master_name", "QS_REDIS_MASTER", "mymaster", "the master's name in Sentinel"),
      new Key("history.redis_ca_file", "QS_REDIS_CA_FILE", "", "PEM file of the CA certificates trusted for rediss:// (empty: the JVM's trust store)"),
      new Key("http.header_timeout", "QS_HEADER_TIMEOUT", "10s", "a request's head, and a publish or QUERY body, must arrive within this long of the connection opening or its last answer; else the connection is closed (0: never)"),
      new Key("http.max_connections", "QS_MAX_CONNECTIONS", "16384", "most open connections on this node (more: closed at once); streams get all but a tenth of them (more: 503 with Retry-After) (0: unlimited)"),
      new Key("http.max_fields", "QS_MAX_FIELDS", "2000", "most fields in a form body (more: 413) and parameters in a query string (more: 400)"),
      new Key("history.max_bytes", "QS_HISTORY_MAX_BYTES", "64MiB", "most bytes of updates the in-memory history keeps (the oldest are dropped first); subscription events get as much again"));

  private ConfigLoader() {
  }

  /** Loads from the process environment. */
  public static HubConfig load() {
    return load(System.getenv());
  }

  /** Loads with the given environment: the file is {@code $QS_CONFIG}, else {@code conf/quicksilver.yaml} if present. */
  public static HubConfig load(Map<String, String> env) {
    Path file = null;
    if (env.get(CONFIG_ENV) != null && !env.get(CONFIG_ENV).isBlank()) {
      file = Path.of(env.get(CONFIG_ENV));
      if (!Files.isRegularFile(file)) {
        throw new ConfigException(CONFIG_ENV + ": no such file: " + file);
      }
    } else if (Files.isRegularFile(DEFAULT_FILE)) {
      file = DEFAULT_FILE;
    }
    return load(env, file);
  }

  /** Loads from the defaults, the given file (null: none) and the given environment. */
  public static HubConfig load(Map<String, String> env, Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origin = new LinkedHashMap<>();
    for (Key k : KEYS) {
      if (k.defaultValue() != null) {
        values.put(k.name(), k.defaultValue());
        origin.put(k.name(), k.name());
      }
    }
    if (file != null) {
      readFile(file, values, origin);
    }
    MercureEnvironment.apply(env, values, origin); // the reference hub's variables (docs/MIGRATING.md); QS_* still win
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (name.startsWith("QS_") && !name.equals(CONFIG_ENV) && KEYS.stream().noneMatch(k -> k.env().equals(name))
          && !ServiceLinks.isServiceLink(name, e.getValue())) {
        throw new ConfigException("unknown environment variable " + name + nearest(name) + " (see the configuration table in README.md)");
      }
    }
    for (Key k : KEYS) {
      String v = env.get(k.env());
      if (v != null && !ServiceLinks.isServiceLink(k.env(), v)) { // QS_HTTP_PORT=tcp://…: the link of a Service named qs-http
        values.put(k.name(), v);
        origin.put(k.name(), k.env());
      }
    }
    return build(new Values(values, origin));
  }

  /** {@code " (did you mean QS_X?)"} for a name within two edits of a documented one, else empty. */
  private static String nearest(String name) {
    String best = null;
    int bestDistance = 3;
    for (Key k : KEYS) {
      int d = editDistance(name, k.env());
      if (d < bestDistance) {
        best = k.env();
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean " + best + "?)";
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }

  private static void readFile(Path file, Map<String, String> values, Map<String, String> origin) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getClass().getSimpleName());
    }
    if (root == null) {
      return;
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException("config file " + file + " must hold a mapping of keys");
    }
    flatten("", map, values, origin, file);
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, String> values, Map<String, String> origin, Path file) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = prefix + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map<?, ?> nested) {
        flatten(name + ".", nested, values, origin, file);
        continue;
      }
      if (KEYS.stream().noneMatch(k -> k.name().equals(name))) {
        throw new ConfigException("unknown key \"" + name + "\" in " + file);
      }
      String text;
      if (v == null) {
        text = "";
      } else if (v instanceof List<?> list && list.stream().anyMatch(item -> item instanceof Map<?, ?>)) {
        text = jsonOf(list); // a list of maps (trusted_issuers) is read as the JSON its environment variable holds
      } else if (v instanceof List<?> list) {
        text = String.join(" ", list.stream().map(String::valueOf).toList());
      } else {
        text = String.valueOf(v);
      }
      values.put(name, text);
      origin.put(name, name + " in " + file);
    }
  }

  private static String jsonOf(List<?> list) {
    try {
      return new JsonArray(new ArrayList<>(list)).encode();
    } catch (RuntimeException e) {
      return "[?]"; // not encodable: reported as malformed by the key's parser, without the values
    }
  }

  private record Values(Map<String, String> raw, Map<String, String> origin) {
    String get(String key) {
      return raw.get(key);
    }

    <T> T parse(String key, Function<String, T> parser) {
      String v = raw.get(key);
      if (v == null) {
        throw new ConfigException(key + " is required (" + envOf(key) + ")");
      }
      try {
        return parser.apply(v.trim());
      } catch (RuntimeException e) {
        throw new ConfigException(origin.get(key) + ": " + e.getMessage());
      }
    }

    private static String envOf(String key) {
      return KEYS.stream().filter(k -> k.name().equals(key)).findFirst().map(Key::env).orElse(key);
    }
  }

  private static HubConfig build(Values v) {
    HubConfig.Http http = new HubConfig.Http(
        v.parse("http.host", ConfigLoader::nonEmpty),
        v.parse("http.port", s -> intIn(s, 0, 65535)),
        v.parse("http.max_body", s -> sizeIn(s, 1, Integer.MAX_VALUE)),
        (int) (long) v.parse("http.max_header_size", s -> sizeIn(s, 1024, 16L << 20)),
        (int) (long) v.parse("http.max_initial_line", s -> sizeIn(s, 1024, 16L << 20)),
        v.parse("http.idle_timeout", Durations::parse),
        v.parse("http.header_timeout", Durations::parse),
        v.parse("http.max_connections", s -> intIn(s, 0, 10_000_000)),
        v.parse("http.max_fields", s -> intIn(s, 16, 10_000_000)));
    String caFile = v.get("jwt.jwks_ca_file") == null || v.get("jwt.jwks_ca_file").isBlank() ? null
        : v.parse("jwt.jwks_ca_file", ConfigLoader::readableFile).toString();
    requireKeys(v);
    HubConfig.Auth auth = new HubConfig.Auth(
        keys(v, "jwt.publisher_key", "jwt.publisher_alg", "jwt.publisher_jwks_url"),
        keys(v, "jwt.subscriber_key", "jwt.subscriber_alg", "jwt.subscriber_jwks_url"),
        v.parse("anonymous", ConfigLoader::bool),
        v.parse("cookie_name", ConfigLoader::cookieName),
        v.parse("cors_origins", ConfigLoader::origins),
        v.parse("publish_origins", ConfigLoader::origins),
        new KeyRing.Options(v.parse("jwt.leeway", ConfigLoader::leeway), v.parse("jwt.jwks_refresh", ConfigLoader::positiveDuration), caFile));
    HubConfig.Protocol protocol = protocol(v, auth);
    HubConfig.Stream stream = new HubConfig.Stream(
        v.parse("heartbeat", Durations::parse),
        v.parse("write_timeout", Durations::parse),
        v.parse("dispatch_timeout", Durations::parse),
        v.parse("max_topics", s -> intIn(s, 1, 100_000)),
        v.parse("subscriber_buffer", s -> sizeIn(s, 1024, 1L << 30)));
    String redisUrl = v.get("history.redis_url");
    HubConfig.History history = new HubConfig.History(
        v.parse("history.size", s -> intIn(s, 1, 100_000_000)),
        redisUrl == null || redisUrl.isBlank() ? null : v.parse("history.redis_url", ConfigLoader::redisUrls),
        v.parse("history.redis_stream", ConfigLoader::nonEmpty),
        v.parse("history.redis_timeout", ConfigLoader::positiveDuration),
        v.parse("history.redis_mode", HubConfig.RedisMode::parse),
        v.parse("history.redis_sentinels", s -> s.isEmpty() ? List.<String>of() : List.of(redisUrls(s).split(" "))),
        v.parse("history.redis_master_name", ConfigLoader::nonEmpty),
        v.parse("history.redis_ca_file", ConfigLoader::readableFileOrEmpty),
        v.parse("history.max_bytes", s -> sizeIn(s, 64L << 10, 1L << 40)));
    redisTopology(v, history);
    HubConfig.Cluster cluster = new HubConfig.Cluster(
        v.parse("cluster.enabled", ConfigLoader::bool),
        v.parse("cluster.host", ConfigLoader::nonEmpty),
        v.parse("cluster.port", s -> intIn(s, 1, 65535)),
        v.parse("cluster.bus_port", s -> intIn(s, 0, 65535)),
        v.parse("cluster.members", ConfigLoader::members),
        v.parse("cluster.name", ConfigLoader::nonEmpty),
        v.get("cluster.kubernetes_service") == null ? "" : v.get("cluster.kubernetes_service").trim(),
        tls(v, "cluster.tls_cert", "cluster.tls_key", "cluster.tls_ca"));
    if (cluster.enabled() && !history.redis()) {
      throw new ConfigException("cluster.enabled (QS_CLUSTER) requires history.redis_url (QS_REDIS_URL) or history.redis_sentinels "
          + "(QS_REDIS_SENTINELS): the nodes share history and sequence there");
    }
    HubConfig.Demo demo = new HubConfig.Demo(
        v.parse("demo.enabled", ConfigLoader::bool),
        v.parse("demo.public_url", ConfigLoader::publicUrl),
        v.parse("demo.symbols", ConfigLoader::symbols),
        v.parse("demo.interval", ConfigLoader::positiveDuration),
        v.parse("demo.volatility", s -> doubleIn(s, 0, 5)),
        v.parse("demo.seed", Long::parseLong),
        v.parse("demo.users", ConfigLoader::users),
        v.get("demo.session_secret") == null ? "" : v.get("demo.session_secret"),
        v.parse("demo.token_ttl", ConfigLoader::positiveDuration));
    if (demo.enabled() && (auth.subscriberKey() == null || !auth.subscriberKey().isHmac())) {
      throw new ConfigException("demo.enabled (QS_DEMO) needs an HMAC subscriber key to mint login cookies; set QS_DEMO=false with "
          + (auth.subscriberKey() == null ? "a subscriber JWK Set" : auth.subscriberKey().algorithm() + " keys"));
    }
    HubConfig.Ops ops = new HubConfig.Ops(
        v.parse("metrics.enabled", ConfigLoader::bool),
        v.parse("metrics.port", s -> intIn(s, 0, 65535)),
        v.get("metrics.token") == null ? "" : v.get("metrics.token").trim(),
        v.parse("drain_window", Durations::parse),
        v.parse("readiness.require_redis", ConfigLoader::bool),
        v.parse("warm_up", Durations::parse));
    HubConfig.Server server = new HubConfig.Server(
        v.parse("http.event_loops", s -> intIn(s, 0, 1024)),
        v.parse("http.h2c", ConfigLoader::bool),
        tls(v, "http.tls_cert", "http.tls_key", null),
        v.parse("http.tls_reload", Durations::parse),
        v.parse("http.trusted_proxies", ConfigLoader::cidrs));
    HubConfig.Logging logging = new HubConfig.Logging(
        v.parse("log.format", ConfigLoader::logFormat),
        v.parse("log.access", ConfigLoader::bool));
    return new HubConfig(http, auth, protocol, stream, history, cluster,
        v.parse("subscriptions", ConfigLoader::bool),
        demo, ops,
        v.parse("log_level", ConfigLoader::logLevel),
        server, logging,
        v.parse("ui", ConfigLoader::bool));
  }

  /** Certificate and key files (and, for mutual TLS, the CA file) given together, each readable; null when none is given. */
  private static HubConfig.Tls tls(Values v, String certKey, String keyKey, String caKey) {
    List<String> names = caKey == null ? List.of(certKey, keyKey) : List.of(certKey, keyKey, caKey);
    List<Path> files = new ArrayList<>();
    for (String name : names) {
      files.add(v.parse(name, ConfigLoader::readableFile));
    }
    if (files.stream().allMatch(f -> f == null)) {
      return null;
    }
    for (int i = 0; i < names.size(); i++) {
      if (files.get(i) == null) {
        throw new ConfigException(String.join(", ", names.stream().map(n -> n + " (" + Values.envOf(n) + ")").toList())
            + " go together: " + names.get(i) + " is missing");
      }
    }
    return new HubConfig.Tls(files.get(0), files.get(1), caKey == null ? null : files.get(2));
  }

  static Path readableFile(String s) {
    if (s.isEmpty()) {
      return null;
    }
    Path p = Path.of(s);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new IllegalArgumentException("no readable file at " + s);
    }
    return p;
  }

  static List<Cidr> cidrs(String s) {
    List<Cidr> out = new ArrayList<>();
    for (String c : s.trim().split("[\\s,]+")) {
      if (!c.isEmpty()) {
        out.add(Cidr.parse(c));
      }
    }
    return out;
  }

  static String logFormat(String s) {
    String format = s.toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException("not a log format: \"" + s + "\" (text, json)");
    }
    return format;
  }

  /** Both JWT keys are required; a hub without them says which are missing, by their environment names. */
  private static void requireKeys(Values v) {
    List<String> missing = new ArrayList<>();
    for (String role : List.of("publisher", "subscriber")) {
      String key = "jwt." + role + "_key";
      String jwks = "jwt." + role + "_jwks_url";
      if ((v.get(key) == null || v.get(key).isBlank()) && (v.get(jwks) == null || v.get(jwks).isBlank())) {
        missing.add(Values.envOf(key));
      }
    }
    if (!missing.isEmpty()) {
      throw new ConfigException(String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
          + " required: the keys that verify publisher and subscriber tokens (jwt.publisher_key, jwt.subscriber_key in a config file;"
          + " or a JWK Set: MERCURE_PUBLISHER_JWKS_URL, MERCURE_SUBSCRIBER_JWKS_URL)");
    }
  }

  private static HubConfig.Protocol protocol(Values v, HubConfig.Auth auth) {
    ProtocolMode mode = v.parse("protocol", ProtocolMode::parse);
    String resource = v.parse("resource_identifier", ConfigLoader::resourceIdentifier);
    String defaultIssuer = v.parse("default_issuer", s -> s);
    List<TrustedIssuer> issuers = new ArrayList<>();
    if (!defaultIssuer.isEmpty()) {
      issuers.add(new TrustedIssuer(defaultIssuer, auth.publisher(), auth.subscriber()));
    }
    issuers.addAll(v.parse("trusted_issuers", ConfigLoader::trustedIssuers));
    Set<String> seen = new HashSet<>();
    for (TrustedIssuer issuer : issuers) {
      if (!seen.add(issuer.issuer())) {
        throw new ConfigException(v.origin().get("trusted_issuers") + ": issuer \"" + issuer.issuer()
            + "\" is configured twice (trusted_issuers, default_issuer)");
      }
    }
    if (mode == ProtocolMode.DRAFT_08 && issuers.isEmpty()) {
      throw new ConfigException("protocol draft-08 (QS_PROTOCOL) needs default_issuer (QS_DEFAULT_ISSUER) or trusted_issuers (QS_TRUSTED_ISSUERS):"
          + " without a trusted issuer no token is accepted");
    }
    return new HubConfig.Protocol(mode, resource, defaultIssuer.isEmpty() ? null : defaultIssuer, issuers);
  }

  static String resourceIdentifier(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      URI uri = new URI(s);
      // RFC 9728: a URL (https; http for development) without fragment
      if (("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null && uri.getFragment() == null && Draft08Topics.isHubUrl(s)) {
        return s;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new IllegalArgumentException("not an http(s) URL without fragment: \"" + s + "\"");
  }

  private static final List<String> ISSUER_FIELDS = List.of("issuer", "publisher_key", "publisher_alg", "subscriber_key", "subscriber_alg",
      "jwks_uri", "jwks_algorithms");

  /** Reads the trusted issuers; messages name the entry and field, never the key material. */
  static List<TrustedIssuer> trustedIssuers(String s) {
    if (s.isEmpty()) {
      return List.of();
    }
    JsonArray array;
    try {
      array = new JsonArray(s);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a JSON array of issuer objects"); // the parser's message may quote a key
    }
    List<TrustedIssuer> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String where = "entry " + (i + 1);
      if (!(array.getValue(i) instanceof JsonObject entry)) {
        throw new IllegalArgumentException(where + " is not an object with " + String.join(", ", ISSUER_FIELDS));
      }
      for (String field : entry.fieldNames()) {
        if (!ISSUER_FIELDS.contains(field)) {
          throw new IllegalArgumentException(where + ": unknown field \"" + field + "\" (" + String.join(", ", ISSUER_FIELDS) + ")");
        }
      }
      if (!(entry.getValue("issuer") instanceof String issuer) || issuer.isBlank()) {
        throw new IllegalArgumentException(where + ": \"issuer\" must be a non-empty string");
      }
      where += " (" + issuer + ")";
      JwtKey publisher = issuerKey(entry, "publisher", where);
      JwtKey subscriber = issuerKey(entry, "subscriber", where);
      KeySource jwks = issuerJwks(entry, where);
      if (jwks != null && (publisher != null || subscriber != null)) {
        throw new IllegalArgumentException(where + ": jwks_uri and a static key (publisher_key, subscriber_key) are both set: choose one");
      }
      if (jwks != null) {
        out.add(new TrustedIssuer(issuer, jwks, jwks));
        continue;
      }
      if (publisher == null && subscriber == null) {
        throw new IllegalArgumentException(where + ": needs publisher_key and publisher_alg, or subscriber_key and subscriber_alg, or jwks_uri");
      }
      out.add(TrustedIssuer.of(issuer, publisher, subscriber));
    }
    return out;
  }

  /** The issuer's JWK Set ({@code jwks_uri}, {@code jwks_algorithms}), or null when it has none. */
  private static KeySource issuerJwks(JsonObject entry, String where) {
    Object uri = entry.getValue("jwks_uri");
    Object algorithms = entry.getValue("jwks_algorithms");
    if (uri == null) {
      if (algorithms != null) {
        throw new IllegalArgumentException(where + ": jwks_algorithms needs jwks_uri");
      }
      return null;
    }
    if (!(uri instanceof String url) || url.isBlank()) {
      throw new IllegalArgumentException(where + ": jwks_uri must be a non-empty string");
    }
    List<String> algs = new ArrayList<>();
    if (algorithms != null) {
      if (!(algorithms instanceof JsonArray list) || !list.stream().allMatch(a -> a instanceof String)) {
        throw new IllegalArgumentException(where + ": jwks_algorithms must be a list of algorithm names");
      }
      list.forEach(a -> algs.add((String) a));
    }
    try {
      return KeySource.of(new JwkSetLocation(url.trim(), algs));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  private static JwtKey issuerKey(JsonObject entry, String role, String where) {
    Object key = entry.getValue(role + "_key");
    Object alg = entry.getValue(role + "_alg");
    if (key == null && alg == null) {
      return null;
    }
    if (!(key instanceof String material) || material.isBlank()) {
      throw new IllegalArgumentException(where + ": " + role + "_alg needs " + role + "_key, a non-empty string");
    }
    if (!(alg instanceof String algorithm) || !JwtKey.ALGORITHMS.contains(algorithm)) {
      // the value is not echoed: a key pasted into the wrong field must not reach the log
      throw new IllegalArgumentException(where + ": " + role + "_key needs " + role + "_alg, one of HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512");
    }
    try {
      return JwtKey.parse(algorithm, material);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + role + "_key: " + e.getMessage());
    }
  }

  /** A role's keys: its static key, or its JWK Set (pinned to the role's algorithm when that is set explicitly). */
  private static KeySource keys(Values v, String keyName, String algName, String jwksName) {
    String alg = v.parse(algName, s -> {
      if (!JwtKey.ALGORITHMS.contains(s)) {
        throw new IllegalArgumentException("unsupported JWT algorithm \"" + s + "\" (HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512)");
      }
      return s;
    });
    String material = v.get(keyName);
    String jwks = v.get(jwksName);
    boolean hasKey = material != null && !material.isBlank();
    boolean hasSet = jwks != null && !jwks.isBlank();
    if (hasKey && hasSet) {
      throw new ConfigException(v.origin().get(keyName) + " and " + v.origin().get(jwksName)
          + " are both set: a role's keys come from a static key or from a JWK Set, not both");
    }
    if (hasSet) {
      boolean pinned = !algName.equals(v.origin().get(algName)); // set in the file or the environment, not the default
      if (pinned && alg.startsWith("HS")) {
        throw new ConfigException(v.origin().get(algName) + ": a JWK Set holds public keys; use an RS or ES algorithm, or leave it unset");
      }
      try {
        return KeySource.of(new JwkSetLocation(jwks.trim(), pinned ? List.of(alg) : List.of()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(v.origin().get(jwksName) + ": " + e.getMessage());
      }
    }
    if (!hasKey) {
      throw new ConfigException(keyName + " is required (" + Values.envOf(keyName) + "), or " + jwksName + " (" + Values.envOf(jwksName) + ")");
    }
    try {
      return KeySource.of(JwtKey.parse(alg, material));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(v.origin().get(keyName) + ": " + e.getMessage());
    }
  }

  static java.time.Duration leeway(String s) {
    java.time.Duration d = Durations.parse(s);
    if (d.toMillis() % 1000 != 0 || d.compareTo(java.time.Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("must be whole seconds, at most 10m");
    }
    return d;
  }

  static java.time.Duration positiveDuration(String s) {
    java.time.Duration d = Durations.parse(s);
    if (d.isZero()) {
      throw new IllegalArgumentException("must be more than 0");
    }
    return d;
  }

  static List<String> members(String s) {
    List<String> out = new ArrayList<>();
    for (String m : s.trim().split("[\\s,]+")) {
      if (m.isEmpty()) {
        continue;
      }
      if (!m.matches("[A-Za-z0-9.\\-]+:\\d{1,5}")) {
        throw new IllegalArgumentException("not a host:port member: \"" + m + "\"");
      }
      out.add(m);
    }
    return out;
  }

  static String publicUrl(String s) {
    String url = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    if (!url.matches("https?://[^/\\s]+")) {
      throw new IllegalArgumentException("not a base URL (http(s)://host[:port]): \"" + s + "\"");
    }
    return url;
  }

  static List<String> symbols(String s) {
    List<String> out = new ArrayList<>();
    for (String sym : s.trim().split("[\\s,]+")) {
      if (sym.isEmpty()) {
        continue;
      }
      if (!sym.matches("[A-Z0-9.]{1,10}")) {
        throw new IllegalArgumentException("not a ticker symbol (A-Z, 0-9, dot; at most 10): \"" + sym + "\"");
      }
      out.add(sym);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("at least one symbol is needed");
    }
    return out;
  }

  static double doubleIn(String s, double min, double max) {
    double d;
    try {
      d = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: \"" + s + "\"");
    }
    if (!(d >= min && d <= max)) {
      throw new IllegalArgumentException(s + " is out of range [" + min + ", " + max + "]");
    }
    return d;
  }

  static List<HubConfig.User> users(String s) {
    List<HubConfig.User> out = new ArrayList<>();
    for (String entry : s.trim().split("\\s+")) {
      if (entry.isEmpty()) {
        continue;
      }
      String[] parts = entry.split(":", 3);
      if (parts.length != 3 || !parts[0].matches("[a-z0-9_-]{1,64}") || parts[1].isEmpty() || !parts[2].startsWith("pbkdf2-sha256:")) {
        throw new IllegalArgumentException("a user is id:name:pbkdf2-sha256:<iterations>:<salt>:<hash> (see `java -jar quicksilver.jar hash-password`)");
      }
      out.add(new HubConfig.User(parts[0], parts[1], parts[2]));
    }
    return out;
  }

  static String logLevel(String s) {
    String level = s.toUpperCase(Locale.ROOT);
    if (!List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(level)) {
      throw new IllegalArgumentException("not a log level: \"" + s + "\" (ERROR, WARN, INFO, DEBUG, TRACE)");
    }
    return level;
  }

  static String nonEmpty(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return s;
  }

  static boolean bool(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException("not a boolean: \"" + s + "\" (true or false)");
    };
  }

  static int intIn(String s, int min, int max) {
    long n;
    try {
      n = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number: \"" + s + "\"");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(n + " is out of range [" + min + ", " + max + "]");
    }
    return (int) n;
  }

  static long sizeIn(String s, long min, long max) {
    long n = Sizes.parse(s);
    if (n < min || n > max) {
      throw new IllegalArgumentException(s + " is out of range [" + min + ", " + max + "] bytes");
    }
    return n;
  }

  static String cookieName(String s) {
    if (s.isEmpty() || !s.chars().allMatch(c -> c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
      throw new IllegalArgumentException("not a valid cookie name: \"" + s + "\"");
    }
    return s;
  }

  static List<String> origins(String s) {
    List<String> out = new ArrayList<>();
    for (String o : Arrays.stream(s.split("[\\s,]+")).filter(x -> !x.isEmpty()).toList()) {
      if (!o.equals("*") && !o.matches("[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s]+")) {
        throw new IllegalArgumentException("not an origin (scheme://host[:port]): \"" + o + "\"");
      }
      out.add(o.equals("*") ? o : o.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  static String redisUrl(String s) {
    if (!s.startsWith("redis://") && !s.startsWith("rediss://") && !s.startsWith("unix://")) {
      throw new IllegalArgumentException("not a Redis URL (redis://host:port[/db])");
    }
    return s;
  }

  /** One or more Redis URLs, space-separated; returned joined by single spaces. */
  static String redisUrls(String s) {
    List<String> urls = Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).map(ConfigLoader::redisUrl).toList();
    return String.join(" ", urls);
  }

  /** The Redis settings that only make sense together: one way to find Redis, and a list of URLs only for a cluster. */
  private static void redisTopology(Values v, HubConfig.History history) {
    boolean sentinel = !history.redisSentinels().isEmpty();
    if (sentinel && history.redisUrl() != null) {
      throw new ConfigException(v.origin().get("history.redis_sentinels") + ": set either history.redis_url (QS_REDIS_URL) "
          + "or history.redis_sentinels (QS_REDIS_SENTINELS), not both");
    }
    if (sentinel && history.redisMode() == HubConfig.RedisMode.CLUSTER) {
      throw new ConfigException(v.origin().get("history.redis_sentinels") + ": Sentinel serves a standalone master; "
          + "history.redis_mode (QS_REDIS_MODE) must be standalone");
    }
    if (history.redisMode() == HubConfig.RedisMode.CLUSTER && history.redisUrl() == null) {
      throw new ConfigException(v.origin().get("history.redis_mode") + ": a Redis Cluster needs history.redis_url (QS_REDIS_URL), one or more of its nodes");
    }
    if (history.redisMode() == HubConfig.RedisMode.STANDALONE && history.redisUrl() != null && history.redisUrl().contains(" ")) {
      throw new ConfigException(v.origin().get("history.redis_url") + ": several URLs need history.redis_mode (QS_REDIS_MODE) cluster");
    }
  }

  static String readableFileOrEmpty(String s) {
    if (!s.isEmpty() && !Files.isReadable(Path.of(s))) {
      throw new IllegalArgumentException("no readable file at " + s);
    }
    return s;
  }
}
