package io.quicksilver.config;

import io.quicksilver.auth.JwtKey;
import io.quicksilver.mercure.Draft08Topics;
import io.quicksilver.auth.TrustedIssuer;
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
      new Key("anonymous", "QS_ANONYMOUS", "false", "let subscribers without a token receive public updates"),
      new Key("cookie_name", "QS_COOKIE_NAME", "mercureAuthorization", "the authorization cookie"),
      new Key("cors_origins", "QS_CORS_ORIGINS", "", "origins allowed cross-origin with credentials, space-separated (* = any, without credentials)"),
      new Key("publish_origins", "QS_PUBLISH_ORIGINS", "", "origins allowed to publish with the cookie, space-separated (* = any)"),
      new Key("protocol", "QS_PROTOCOL", "both", "Mercure protocol versions spoken: both, classic, draft-08"),
      new Key("resource_identifier", "QS_RESOURCE_IDENTIFIER", "", "the hub's resource identifier, the aud draft-08 tokens must name; an http(s) URL without fragment (empty: <scheme>://<host>/.well-known/mercure of each request)"),
      new Key("default_issuer", "QS_DEFAULT_ISSUER", "", "issuer identifier (iss) of the draft-08 tokens the jwt.* keys verify (empty: those keys verify no draft-08 token)"),
      new Key("trusted_issuers", "QS_TRUSTED_ISSUERS", "", "further draft-08 issuers: in YAML a list of maps, in the environment a JSON array of objects, each with "
          + "issuer, and publisher_key with publisher_alg and/or subscriber_key with subscriber_alg (keys as for jwt.*; at least one role)"),
      new Key("heartbeat", "QS_HEARTBEAT", "40s", "comment sent on an idle stream after this long (0: off)"),
      new Key("write_timeout", "QS_WRITE_TIMEOUT", "600s", "streams close after about this long, jittered 80-100% (0: never)"),
      new Key("dispatch_timeout", "QS_DISPATCH_TIMEOUT", "5s", "a subscriber whose writes stay stalled this long is disconnected"),
      new Key("max_topics", "QS_MAX_TOPICS", "1000", "most topic selectors per subscription and topics per update (more: 400)"),
      new Key("subscriber_buffer", "QS_SUBSCRIBER_BUFFER", "4MiB", "most bytes queued for one subscriber before it is disconnected"),
      new Key("history.size", "QS_HISTORY_SIZE", "10000", "updates kept for replay"),
      new Key("history.redis_url", "QS_REDIS_URL", "", "Redis URL for the history (empty: in memory)"),
      new Key("history.redis_stream", "QS_REDIS_STREAM", "quicksilver", "Redis key prefix of the history"),
      new Key("history.redis_timeout", "QS_REDIS_TIMEOUT", "2s", "deadline of each Redis command; publish answers 503 past it"),
      new Key("cluster.enabled", "QS_CLUSTER", "false", "join a cluster of hub nodes (requires QS_REDIS_URL)"),
      new Key("cluster.host", "QS_CLUSTER_HOST", "127.0.0.1", "address this node binds and advertises to the cluster"),
      new Key("cluster.port", "QS_CLUSTER_PORT", "5701", "Hazelcast member port"),
      new Key("cluster.bus_port", "QS_CLUSTER_BUS_PORT", "0", "event-bus port (0: any free port)"),
      new Key("cluster.members", "QS_CLUSTER_MEMBERS", "", "other members, space-separated host:port (TCP join)"),
      new Key("cluster.name", "QS_CLUSTER_NAME", "quicksilver", "cluster name; only nodes with the same name join"),
      new Key("cluster.kubernetes_service", "QS_CLUSTER_KUBERNETES_SERVICE", "", "headless Service DNS name for Kubernetes discovery (instead of members)"),
      new Key("subscriptions", "QS_SUBSCRIPTIONS", "false", "active subscriptions (events and API)"),
      new Key("demo.enabled", "QS_DEMO", "true", "run the demo: price simulator, ticker and alerts pages, alerts API"),
      new Key("demo.public_url", "QS_PUBLIC_URL", "http://localhost:8080", "public base URL of the hub; demo topics live under it"),
      new Key("demo.symbols", "QS_DEMO_SYMBOLS", "AAPL MSFT GOOG AMZN TSLA NVDA", "simulated symbols, space-separated"),
      new Key("demo.interval", "QS_DEMO_INTERVAL", "1s", "time between two price ticks"),
      new Key("demo.volatility", "QS_DEMO_VOLATILITY", "0.4", "annualised volatility of the simulated prices"),
      new Key("demo.seed", "QS_DEMO_SEED", "42", "random seed of the simulator"),
      new Key("demo.users", "QS_DEMO_USERS", "", "demo users, space-separated id:name:pbkdf2-hash (see `hash-password`)"),
      new Key("demo.session_secret", "QS_SESSION_SECRET", "", "signs demo session cookies; same on every node (empty: random per process)"),
      new Key("demo.token_ttl", "QS_DEMO_TOKEN_TTL", "5m", "lifetime of the subscriber token set at login"),
      new Key("demo.debug_ui", "QS_DEBUG_UI", "true", "serve the hub debugging page /debug.html"),
      new Key("metrics.enabled", "QS_METRICS", "true", "serve Prometheus metrics at /metrics"),
      new Key("metrics.port", "QS_METRICS_PORT", "0", "0: /metrics on the hub's port; else a separate port for it"),
      new Key("metrics.token", "QS_METRICS_TOKEN", "", "when set, /metrics needs Authorization: Bearer <token>"),
      new Key("drain_window", "QS_DRAIN_WINDOW", "20s", "on SIGTERM: readiness 503 at once, streams closed spread over this window, then exit"),
      new Key("log_level", "QS_LOG_LEVEL", "INFO", "root log level (ERROR, WARN, INFO, DEBUG, TRACE)"),
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
    for (String name : env.keySet()) {
      if (name.startsWith("QS_") && !name.equals(CONFIG_ENV) && KEYS.stream().noneMatch(k -> k.env().equals(name))) {
        throw new ConfigException("unknown environment variable " + name + " (see the configuration table in README.md)");
      }
    }
    for (Key k : KEYS) {
      String v = env.get(k.env());
      if (v != null) {
        values.put(k.name(), v);
        origin.put(k.name(), k.env());
      }
    }
    return build(new Values(values, origin));
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
    HubConfig.Auth auth = new HubConfig.Auth(
        key(v, "jwt.publisher_key", "jwt.publisher_alg"),
        key(v, "jwt.subscriber_key", "jwt.subscriber_alg"),
        v.parse("anonymous", ConfigLoader::bool),
        v.parse("cookie_name", ConfigLoader::cookieName),
        v.parse("cors_origins", ConfigLoader::origins),
        v.parse("publish_origins", ConfigLoader::origins));
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
        redisUrl == null || redisUrl.isBlank() ? null : v.parse("history.redis_url", ConfigLoader::redisUrl),
        v.parse("history.redis_stream", ConfigLoader::nonEmpty),
        v.parse("history.redis_timeout", ConfigLoader::positiveDuration),
        v.parse("history.max_bytes", s -> sizeIn(s, 64L << 10, 1L << 40)));
    HubConfig.Cluster cluster = new HubConfig.Cluster(
        v.parse("cluster.enabled", ConfigLoader::bool),
        v.parse("cluster.host", ConfigLoader::nonEmpty),
        v.parse("cluster.port", s -> intIn(s, 1, 65535)),
        v.parse("cluster.bus_port", s -> intIn(s, 0, 65535)),
        v.parse("cluster.members", ConfigLoader::members),
        v.parse("cluster.name", ConfigLoader::nonEmpty),
        v.get("cluster.kubernetes_service") == null ? "" : v.get("cluster.kubernetes_service").trim());
    if (cluster.enabled() && history.redisUrl() == null) {
      throw new ConfigException("cluster.enabled (QS_CLUSTER) requires history.redis_url (QS_REDIS_URL): the nodes share history and sequence there");
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
        v.parse("demo.token_ttl", ConfigLoader::positiveDuration),
        v.parse("demo.debug_ui", ConfigLoader::bool));
    if (demo.enabled() && !auth.subscriberKey().algorithm().startsWith("HS")) {
      throw new ConfigException("demo.enabled (QS_DEMO) needs an HMAC subscriber key to mint login cookies; set QS_DEMO=false with "
          + auth.subscriberKey().algorithm() + " keys");
    }
    HubConfig.Ops ops = new HubConfig.Ops(
        v.parse("metrics.enabled", ConfigLoader::bool),
        v.parse("metrics.port", s -> intIn(s, 0, 65535)),
        v.get("metrics.token") == null ? "" : v.get("metrics.token").trim(),
        v.parse("drain_window", Durations::parse));
    return new HubConfig(http, auth, protocol, stream, history, cluster,
        v.parse("subscriptions", ConfigLoader::bool),
        demo, ops,
        v.parse("log_level", ConfigLoader::logLevel));
  }

  private static HubConfig.Protocol protocol(Values v, HubConfig.Auth auth) {
    ProtocolMode mode = v.parse("protocol", ProtocolMode::parse);
    String resource = v.parse("resource_identifier", ConfigLoader::resourceIdentifier);
    String defaultIssuer = v.parse("default_issuer", s -> s);
    List<TrustedIssuer> issuers = new ArrayList<>();
    if (!defaultIssuer.isEmpty()) {
      issuers.add(new TrustedIssuer(defaultIssuer, auth.publisherKey(), auth.subscriberKey()));
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

  private static final List<String> ISSUER_FIELDS = List.of("issuer", "publisher_key", "publisher_alg", "subscriber_key", "subscriber_alg");

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
      if (publisher == null && subscriber == null) {
        throw new IllegalArgumentException(where + ": needs publisher_key and publisher_alg, or subscriber_key and subscriber_alg");
      }
      out.add(new TrustedIssuer(issuer, publisher, subscriber));
    }
    return out;
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

  private static JwtKey key(Values v, String keyName, String algName) {
    String alg = v.parse(algName, s -> {
      if (!JwtKey.ALGORITHMS.contains(s)) {
        throw new IllegalArgumentException("unsupported JWT algorithm \"" + s + "\" (HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512)");
      }
      return s;
    });
    String material = v.get(keyName);
    if (material == null || material.isBlank()) {
      throw new ConfigException(keyName + " is required (" + Values.envOf(keyName) + ")");
    }
    try {
      return JwtKey.parse(alg, material);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(v.origin().get(keyName) + ": " + e.getMessage());
    }
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
}
