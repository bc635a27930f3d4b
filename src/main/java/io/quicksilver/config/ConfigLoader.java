package io.quicksilver.config;

import static io.quicksilver.config.Keys.*;

import io.quicksilver.auth.JwkSetLocation;
import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.KeyRing;
import io.quicksilver.auth.KeySource;
import io.quicksilver.auth.TrustedIssuer;
import io.quicksilver.mercure.ProtocolMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link HubConfig} from built-in defaults, a YAML file, and environment variables, in that
 * order of precedence (the environment wins).
 *
 * <p>The file is {@code $QS_CONFIG}, else {@code conf/quicksilver.yaml} when it exists in the working
 * directory. Its keys are those of {@link Keys}, nested by dots ({@code http.port} is {@code port} under
 * {@code http}). An unknown key, an unknown {@code QS_*} variable, or a malformed value stops start-up
 * with a message naming the key; a former name ({@link Keys#DEPRECATED}) still works, with a warning.
 * Runs before Vert.x starts (it reads a file).
 */
public final class ConfigLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  /** The environment variable naming the config file. */
  public static final String CONFIG_ENV = "QS_CONFIG";
  /** The config file read when {@link #CONFIG_ENV} is unset and the file exists. */
  public static final Path DEFAULT_FILE = Path.of("conf", "quicksilver.yaml");

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
    for (Key<?> k : Keys.ALL) {
      if (k.defaultValue() != null) {
        values.put(k.name(), k.defaultValue());
        origin.put(k.name(), k.name());
      }
    }
    Map<Keys.Alias, String> deprecated = new LinkedHashMap<>(); // former names read, and where
    if (file != null) {
      readFile(file, values, origin, deprecated);
    }
    MercureEnvironment.apply(env, values, origin); // the reference hub's variables (docs/MIGRATING.md); QS_* still win
    readEnvironment(env, values, origin, deprecated);
    deprecated.forEach((alias, where) -> LOG.warn("{} ({}), set in {}, is deprecated: it is now {} ({}); rename it",
        alias.name(), alias.env(), where, alias.key().name(), alias.key().env()));
    return build(new Values(values, origin));
  }

  /** The file's keys over the defaults; a former name counts unless the file sets the key's own name too. */
  private static void readFile(Path file, Map<String, String> values, Map<String, String> origin, Map<Keys.Alias, String> deprecated) {
    Map<String, String> read = ConfigFile.read(file);
    for (Map.Entry<String, String> e : read.entrySet()) {
      String name = e.getKey();
      Keys.Alias alias = Keys.formerName(name).orElse(null);
      if (alias == null && Keys.named(name).isEmpty()) {
        throw new ConfigException("unknown key \"" + name + "\" in " + file);
      }
      if (alias != null) {
        deprecated.merge(alias, file.toString(), (a, b) -> a + " and " + b);
        if (read.containsKey(alias.key().name())) {
          continue;
        }
      }
      String key = alias == null ? name : alias.key().name();
      values.put(key, e.getValue());
      origin.put(key, name + " in " + file);
    }
  }

  /** The {@code QS_*} and {@code MERCURE_*_JWT_*} variables over the rest; an unknown {@code QS_*} variable stops loading. */
  private static void readEnvironment(Map<String, String> env, Map<String, String> values, Map<String, String> origin,
                                      Map<Keys.Alias, String> deprecated) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (name.startsWith("QS_") && !name.equals(CONFIG_ENV) && Keys.ofEnv(name).isEmpty()
          && !Keys.isFormerEnv(name) && !ServiceLinks.isServiceLink(name, e.getValue())) {
        throw new ConfigException("unknown environment variable " + name + nearest(name) + " (see the configuration table in README.md)");
      }
    }
    for (Keys.Alias alias : Keys.DEPRECATED) { // before the keys, whose own variables win
      String v = env.get(alias.env());
      if (v != null && !ServiceLinks.isServiceLink(alias.env(), v)) {
        deprecated.merge(alias, "the environment", (a, b) -> a + " and " + b);
        values.put(alias.key().name(), v);
        origin.put(alias.key().name(), alias.env());
      }
    }
    for (Key<?> k : Keys.ALL) {
      String v = env.get(k.env());
      if (v != null && !ServiceLinks.isServiceLink(k.env(), v)) { // QS_HTTP_PORT=tcp://…: the link of a Service named qs-http
        values.put(k.name(), v);
        origin.put(k.name(), k.env());
      }
    }
  }

  /** {@code " (did you mean QS_X?)"} for a name within two edits of a documented one, else empty. */
  private static String nearest(String name) {
    String best = null;
    int bestDistance = 3;
    for (Key<?> k : Keys.ALL) {
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

  /** Each key's text, and where it came from: the key's own name (its default), "name in file", or a variable. */
  private record Values(Map<String, String> text, Map<String, String> origin) {

    /** The key's parsed value; a key without a value is reported as required, a malformed one with where it came from. */
    <T> T get(Key<T> key) {
      String v = text.get(key.name());
      if (v == null) {
        throw new ConfigException(key.name() + " is required (" + key.env() + ")");
      }
      try {
        return key.parse(v);
      } catch (RuntimeException e) {
        throw new ConfigException(origin(key) + ": " + e.getMessage());
      }
    }

    /** The key's text as given, or null. */
    String text(Key<?> key) {
      return text.get(key.name());
    }

    /** Whether the key's text is absent or blank. */
    boolean blank(Key<?> key) {
      return text(key) == null || text(key).isBlank();
    }

    String origin(Key<?> key) {
      return origin.get(key.name());
    }

    /** Whether the key was set (in the file, the reference hub's variables or the environment) rather than defaulted. */
    boolean set(Key<?> key) {
      return !key.name().equals(origin(key));
    }
  }

  private static HubConfig build(Values v) {
    HubConfig.Http http = new HubConfig.Http(v.get(HTTP_HOST), v.get(HTTP_PORT), v.get(MAX_BODY),
        (int) (long) v.get(MAX_HEADER_SIZE), (int) (long) v.get(MAX_INITIAL_LINE), v.get(IDLE_TIMEOUT), v.get(HEADER_TIMEOUT),
        v.get(MAX_CONNECTIONS), v.get(MAX_FIELDS));
    Path caFile = v.get(JWKS_CA_FILE);
    requireKeys(v);
    HubConfig.Auth auth = new HubConfig.Auth(
        keys(v, PUBLISHER_KEY, PUBLISHER_ALG, PUBLISHER_JWKS_URL),
        keys(v, SUBSCRIBER_KEY, SUBSCRIBER_ALG, SUBSCRIBER_JWKS_URL),
        v.get(ANONYMOUS), v.get(COOKIE_NAME), v.get(CORS_ORIGINS), v.get(PUBLISH_ORIGINS),
        new KeyRing.Options(v.get(LEEWAY), v.get(JWKS_REFRESH), caFile == null ? null : caFile.toString()));
    HubConfig.Protocol protocol = protocol(v, auth);
    HubConfig.Stream stream = new HubConfig.Stream(v.get(HEARTBEAT), v.get(WRITE_TIMEOUT), v.get(DISPATCH_TIMEOUT), v.get(MAX_TOPICS),
        v.get(SUBSCRIBER_BUFFER));
    HubConfig.History history = new HubConfig.History(v.get(HISTORY_SIZE), v.get(REDIS_URL), v.get(REDIS_PREFIX), v.get(REDIS_TIMEOUT),
        v.get(REDIS_MODE), v.get(REDIS_SENTINELS), v.get(REDIS_MASTER), v.get(REDIS_CA_FILE), v.get(HISTORY_MAX_BYTES));
    redisTopology(v, history);
    HubConfig.Cluster cluster = new HubConfig.Cluster(v.get(CLUSTER), v.get(CLUSTER_HOST), v.get(CLUSTER_PORT), v.get(CLUSTER_BUS_PORT),
        v.get(CLUSTER_MEMBERS), v.get(CLUSTER_NAME), v.get(KUBERNETES_SERVICE), tls(v, CLUSTER_TLS_CERT, CLUSTER_TLS_KEY, CLUSTER_TLS_CA));
    if (cluster.enabled() && !history.redis()) {
      throw new ConfigException("cluster.enabled (QS_CLUSTER) requires history.redis_url (QS_REDIS_URL) or history.redis_sentinels "
          + "(QS_REDIS_SENTINELS): the nodes share history and sequence there");
    }
    HubConfig.Demo demo = new HubConfig.Demo(v.get(DEMO), v.get(PUBLIC_URL), v.get(DEMO_SYMBOLS), v.get(DEMO_INTERVAL),
        v.get(DEMO_VOLATILITY), v.get(DEMO_SEED), v.get(DEMO_USERS), v.get(SESSION_SECRET), v.get(DEMO_TOKEN_TTL));
    if (demo.enabled() && (auth.subscriberKey() == null || !auth.subscriberKey().isHmac())) {
      throw new ConfigException("demo.enabled (QS_DEMO) needs an HMAC subscriber key to mint login cookies; set QS_DEMO=false with "
          + (auth.subscriberKey() == null ? "a subscriber JWK Set" : auth.subscriberKey().algorithm() + " keys"));
    }
    HubConfig.Ops ops = new HubConfig.Ops(v.get(METRICS), v.get(METRICS_PORT), v.get(METRICS_TOKEN), v.get(DRAIN_WINDOW),
        v.get(READINESS_REQUIRES_REDIS), v.get(WARM_UP));
    HubConfig.Server server = new HubConfig.Server(v.get(EVENT_LOOPS), v.get(TRANSPORT), v.get(H2C), tls(v, TLS_CERT, TLS_KEY, null), v.get(TLS_RELOAD),
        v.get(TRUSTED_PROXIES));
    HubConfig.Logging logging = new HubConfig.Logging(v.get(LOG_FORMAT), v.get(ACCESS_LOG));
    return new HubConfig(http, auth, protocol, stream, history, cluster, v.get(SUBSCRIPTIONS), demo, ops, v.get(LOG_LEVEL), server,
        logging, v.get(UI));
  }

  /** Certificate and key files (and, for mutual TLS, the CA file) given together, each readable; null when none is given. */
  private static HubConfig.Tls tls(Values v, Key<Path> cert, Key<Path> key, Key<Path> ca) {
    List<Key<Path>> keys = ca == null ? List.of(cert, key) : List.of(cert, key, ca);
    List<Path> files = new ArrayList<>();
    for (Key<Path> k : keys) {
      files.add(v.get(k));
    }
    if (files.stream().allMatch(f -> f == null)) {
      return null;
    }
    for (int i = 0; i < keys.size(); i++) {
      if (files.get(i) == null) {
        throw new ConfigException(String.join(", ", keys.stream().map(k -> k.name() + " (" + k.env() + ")").toList())
            + " go together: " + keys.get(i).name() + " is missing");
      }
    }
    return new HubConfig.Tls(files.get(0), files.get(1), ca == null ? null : files.get(2));
  }

  /** Both JWT keys are required; a hub without them says which are missing, by their environment names. */
  private static void requireKeys(Values v) {
    List<String> missing = new ArrayList<>();
    if (v.blank(PUBLISHER_KEY) && v.blank(PUBLISHER_JWKS_URL)) {
      missing.add(PUBLISHER_KEY.env());
    }
    if (v.blank(SUBSCRIBER_KEY) && v.blank(SUBSCRIBER_JWKS_URL)) {
      missing.add(SUBSCRIBER_KEY.env());
    }
    if (!missing.isEmpty()) {
      throw new ConfigException(String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
          + " required: the keys that verify publisher and subscriber tokens (jwt.publisher_key, jwt.subscriber_key in a config file;"
          + " or a JWK Set: MERCURE_PUBLISHER_JWKS_URL, MERCURE_SUBSCRIBER_JWKS_URL)");
    }
  }

  /** A role's keys: its static key, or its JWK Set (pinned to the role's algorithm when that is set explicitly). */
  private static KeySource keys(Values v, Key<String> keyKey, Key<String> algKey, Key<String> jwksKey) {
    String alg = v.get(algKey);
    boolean hasKey = !v.blank(keyKey);
    boolean hasSet = !v.blank(jwksKey);
    if (hasKey && hasSet) {
      throw new ConfigException(v.origin(keyKey) + " and " + v.origin(jwksKey)
          + " are both set: a role's keys come from a static key or from a JWK Set, not both");
    }
    if (hasSet) {
      boolean pinned = v.set(algKey);
      if (pinned && alg.startsWith("HS")) {
        throw new ConfigException(v.origin(algKey) + ": a JWK Set holds public keys; use an RS or ES algorithm, or leave it unset");
      }
      try {
        return KeySource.of(new JwkSetLocation(v.get(jwksKey), pinned ? List.of(alg) : List.of()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(v.origin(jwksKey) + ": " + e.getMessage());
      }
    }
    if (!hasKey) {
      throw new ConfigException(keyKey.name() + " is required (" + keyKey.env() + "), or " + jwksKey.name() + " (" + jwksKey.env() + ")");
    }
    try {
      return KeySource.of(JwtKey.parse(alg, v.text(keyKey)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(v.origin(keyKey) + ": " + e.getMessage());
    }
  }

  /** The protocol versions, the resource identifier and the trusted issuers: the default issuer first, identifiers distinct. */
  private static HubConfig.Protocol protocol(Values v, HubConfig.Auth auth) {
    ProtocolMode mode = v.get(PROTOCOL);
    String resource = v.get(RESOURCE_IDENTIFIER);
    String defaultIssuer = v.get(DEFAULT_ISSUER);
    List<TrustedIssuer> issuers = new ArrayList<>();
    if (!defaultIssuer.isEmpty()) {
      issuers.add(new TrustedIssuer(defaultIssuer, auth.publisher(), auth.subscriber()));
    }
    issuers.addAll(v.get(TRUSTED_ISSUERS));
    HubConfig.Protocol protocol;
    try {
      protocol = new HubConfig.Protocol(mode, resource, defaultIssuer.isEmpty() ? null : defaultIssuer, issuers);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(v.origin(TRUSTED_ISSUERS) + ": " + e.getMessage() + " (trusted_issuers, default_issuer)");
    }
    if (mode == ProtocolMode.DRAFT_08 && issuers.isEmpty()) {
      throw new ConfigException("protocol draft-08 (QS_PROTOCOL) needs default_issuer (QS_DEFAULT_ISSUER) or trusted_issuers (QS_TRUSTED_ISSUERS):"
          + " without a trusted issuer no token is accepted");
    }
    return protocol;
  }

  /** The Redis settings that only make sense together: one way to find Redis, and a list of URLs only for a cluster. */
  private static void redisTopology(Values v, HubConfig.History history) {
    boolean sentinel = !history.redisSentinels().isEmpty();
    if (sentinel && history.redisUrl() != null) {
      throw new ConfigException(v.origin(REDIS_SENTINELS) + ": set either history.redis_url (QS_REDIS_URL) "
          + "or history.redis_sentinels (QS_REDIS_SENTINELS), not both");
    }
    if (sentinel && history.redisMode() == HubConfig.RedisMode.CLUSTER) {
      throw new ConfigException(v.origin(REDIS_SENTINELS) + ": Sentinel serves a standalone master; "
          + "history.redis_mode (QS_REDIS_MODE) must be standalone");
    }
    if (history.redisMode() == HubConfig.RedisMode.CLUSTER && history.redisUrl() == null) {
      throw new ConfigException(v.origin(REDIS_MODE) + ": a Redis Cluster needs history.redis_url (QS_REDIS_URL), one or more of its nodes");
    }
    if (history.redisMode() == HubConfig.RedisMode.STANDALONE && history.redisUrl() != null && history.redisUrl().contains(" ")) {
      throw new ConfigException(v.origin(REDIS_URL) + ": several URLs need history.redis_mode (QS_REDIS_MODE) cluster");
    }
  }
}
