package io.quicksilver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference hub's deployment variables, read as this hub's keys so that its Docker setups (Symfony's
 * recipe among them) run unchanged: {@code MERCURE_EXTRA_DIRECTIVES} (Caddyfile directives of the
 * {@code mercure} block, one per line), {@code SERVER_NAME}, {@code GLOBAL_OPTIONS},
 * {@code MERCURE_TRUSTED_ISSUERS}, {@code CADDY_EXTRA_CONFIG}, {@code CADDY_SERVER_EXTRA_DIRECTIVES} and
 * {@code MERCURE_TRANSPORT_URL}. The {@code MERCURE_*_JWT_*} variables are keys of their own
 * ({@link Keys}).
 *
 * <p>Each directive with a meaning here sets the key it corresponds to; one that has none but changes
 * nothing a client sees (a cache size, a name) is accepted with a log line; one that would change
 * behaviour this hub cannot give ({@code public_urls}, another transport, different JWK Sets for an issuer's two roles), an unknown
 * directive and a malformed argument stop start-up with a message naming the directive. docs/MIGRATING.md
 * is the table. Values set here sit between the file and the environment: a {@code QS_*} (or
 * {@code MERCURE_*_JWT_*}) variable naming the same key wins, with a warning. Messages never quote key
 * material.
 */
final class MercureEnvironment {

  private static final Logger LOG = LoggerFactory.getLogger(MercureEnvironment.class);

  static final String EXTRA_DIRECTIVES = "MERCURE_EXTRA_DIRECTIVES";
  static final String SERVER_NAME = "SERVER_NAME";
  static final String GLOBAL_OPTIONS = "GLOBAL_OPTIONS";
  static final String TRUSTED_ISSUERS = "MERCURE_TRUSTED_ISSUERS";
  static final String TRANSPORT_URL = "MERCURE_TRANSPORT_URL";
  /** Caddy configuration outside the {@code mercure} block: this hub has no web server to give it to. */
  private static final List<String> CADDY_ONLY = List.of("CADDY_EXTRA_CONFIG", "CADDY_SERVER_EXTRA_DIRECTIVES");

  /** Directives accepted without effect: they tune the reference hub's internals or name it. */
  private static final Map<String, String> WITHOUT_EFFECT = Map.of(
      "name", "the hub has one name here",
      "topic_selector_cache", "the match cache has a fixed size here",
      "topic_matcher_cache", "the match cache has a fixed size here",
      "subscriber_list_cache_size", "subscribers are indexed without that cache here");

  /** Global options accepted without effect: TLS, certificates, Caddy's admin API and handler order. */
  private static final List<String> GLOBAL_WITHOUT_EFFECT = List.of("auto_https", "admin", "email", "acme_ca", "acme_ca_root",
      "acme_dns", "acme_eab", "local_certs", "skip_install_trust", "order", "storage", "storage_clean_interval", "cert_issuer",
      "ocsp_stapling", "ocsp_interval", "key_type", "persist_config", "renew_interval", "http_port", "https_port",
      "default_sni", "fallback_sni", "on_demand_tls", "preferred_chains", "cert_lifetime", "pki", "log", "servers",
      "filesystem", "default_bind", "shutdown_delay");

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)(ns|us|µs|ms|s|m|h|d)");
  private static final Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");
  private static final Pattern SERVER_ADDRESS = Pattern.compile("(?:([a-zA-Z][a-zA-Z0-9+.-]*)://)?(\\[[^\\]]*\\]|[^:/\\[]*)(?::(\\d{1,5}))?(/.*)?");

  /** Settings read here, with where each came from. */
  private final Map<String, String[]> settings = new LinkedHashMap<>();
  private final Map<String, String> env;

  private MercureEnvironment(Map<String, String> env) {
    this.env = env;
  }

  /**
   * Reads the reference hub's variables from {@code env} into {@code values} (key name to text) and
   * {@code origin} (key name to where the value came from), after the file and before the environment.
   *
   * @throws ConfigException for an unknown directive or option, a malformed argument, or a setting without equivalent
   */
  static void apply(Map<String, String> env, Map<String, String> values, Map<String, String> origin) {
    MercureEnvironment read = new MercureEnvironment(env);
    read.read(values, origin);
    for (Map.Entry<String, String[]> e : read.settings.entrySet()) {
      String key = e.getKey();
      String where = e.getValue()[1];
      String wins = Keys.named(key).map(Key::env).filter(env::containsKey).orElse(null);
      if (wins != null && !env.get(wins).equals(e.getValue()[0])) {
        LOG.warn("{} sets {}, but {} is set too and wins", where, key, wins);
      }
      values.put(key, e.getValue()[0]);
      origin.put(key, where);
    }
  }

  private void read(Map<String, String> values, Map<String, String> origin) {
    for (String name : CADDY_ONLY) {
      if (present(name)) {
        throw new ConfigException(name + " holds Caddy configuration, which has no equivalent here (Quicksilver is not a web server):"
            + " serve other routes from a proxy in front of the hub, and unset " + name + " (see docs/MIGRATING.md)");
      }
    }
    if (present(SERVER_NAME)) {
      serverName(env.get(SERVER_NAME).trim());
    }
    if (present(GLOBAL_OPTIONS)) {
      for (Caddyfile.Directive d : Caddyfile.parse(env.get(GLOBAL_OPTIONS), GLOBAL_OPTIONS, env)) {
        globalOption(d, GLOBAL_OPTIONS + " line " + d.line() + " (" + d.name() + ")");
      }
    }
    if (present(TRUSTED_ISSUERS)) {
      String issuers = env.get(TRUSTED_ISSUERS).trim();
      if (issuers.split("\\s+").length > 1) {
        throw new ConfigException(TRUSTED_ISSUERS + ": one issuer identifier here (it names the issuer of the MERCURE_*_JWT_KEY keys);"
            + " add further issuers with their own keys in QS_TRUSTED_ISSUERS or issuer blocks of " + EXTRA_DIRECTIVES);
      }
      set("default_issuer", issuers, TRUSTED_ISSUERS);
    }
    if (present(TRANSPORT_URL)) {
      transportUrl(env.get(TRANSPORT_URL).trim(), TRANSPORT_URL);
    }
    if (present(EXTRA_DIRECTIVES)) {
      JsonArray issuers = new JsonArray();
      boolean playground = false;
      for (Caddyfile.Directive d : Caddyfile.parse(env.get(EXTRA_DIRECTIVES), EXTRA_DIRECTIVES, env)) {
        String where = EXTRA_DIRECTIVES + " line " + d.line() + " (" + d.name() + ")";
        if (d.name().equals("issuer")) {
          issuers.add(issuer(d, where));
        } else {
          playground |= directive(d, where);
        }
      }
      if (!issuers.isEmpty()) {
        set("trusted_issuers", issuers.encode(), EXTRA_DIRECTIVES + " (issuer)");
      }
      if (playground) {
        playgroundDefaults(values, origin);
      }
    }
  }

  /** Returns true for the playground directives, whose permissive defaults apply after every other directive. */
  private boolean directive(Caddyfile.Directive d, String where) {
    switch (d.name()) {
      case "anonymous", "subscriptions" -> {
        flag(d, where);
        set(d.name(), "true", where);
      }
      case "ui", "debugger" -> {
        flag(d, where);
        set("ui", "true", where);
      }
      case "demo", "playground" -> {
        flag(d, where);
        set("ui", "true", where);
        LOG.warn("{}: development settings on (the hub UI; with playground also anonymous subscribers and the subscriptions API);"
            + " never on a hub that serves real users", where);
        return d.name().equals("playground");
      }
      case "cors_origins", "publish_origins" -> set(d.name(), String.join(" ", atLeastOne(d, where)), where);
      case "heartbeat", "write_timeout", "dispatch_timeout" -> set(d.name(), duration(one(d, where), where), where);
      case "cookie_name", "resource_identifier" -> set(d.name(), one(d, where), where);
      case "publisher_jwt", "subscriber_jwt" -> {
        String role = d.name().substring(0, d.name().indexOf('_'));
        if (d.args().isEmpty() || d.args().size() > 2 || !d.block().isEmpty()) {
          throw new ConfigException(where + ": write " + d.name() + " <key> [<algorithm>]");
        }
        set("jwt." + role + "_key", d.args().get(0), where);
        if (d.args().size() == 2 && !d.args().get(1).isEmpty()) {
          set("jwt." + role + "_alg", d.args().get(1), where);
        }
      }
      case "publisher_jwks_url", "subscriber_jwks_url" -> set("jwt." + d.name(), one(d, where), where);
      case "max_request_body_size" -> {
        long size = bytes(one(d, where), where);
        if (size <= 0 || size > Integer.MAX_VALUE) {
          throw new ConfigException(where + ": the hub always bounds request bodies here; set a size from 1 byte to 2 GiB (QS_MAX_BODY)");
        }
        set("http.max_body", Long.toString(size), where);
      }
      case "transport" -> transport(d, where);
      case "transport_url" -> transportUrl(one(d, where), where);
      case "protocol_version_compatibility" -> {
        String version = one(d, where);
        if (!version.equals("7") && !version.equals("8")) {
          throw new ConfigException(where + ": the version is 7 or 8");
        }
        // the classic protocol (draft-07/08 with the mercure claim) is spoken beside draft-08 in `both`
        set("protocol", "both", where);
      }
      case "public_urls" -> throw new ConfigException(where + ": has no equivalent here (the hub answers on any Host);"
          + " restrict the host names in the proxy or Ingress in front of it, and pin the token audience with resource_identifier");
      default -> {
        String note = WITHOUT_EFFECT.get(d.name());
        if (note == null) {
          throw new ConfigException(where + ": unknown Mercure directive \"" + d.name() + "\" (docs/MIGRATING.md lists the directives read here)");
        }
        LOG.info("{}: no effect ({})", where, note);
      }
    }
    return false;
  }

  /** {@code playground} turns on what the reference hub's playground does, unless it is configured otherwise. */
  private void playgroundDefaults(Map<String, String> values, Map<String, String> origin) {
    String where = EXTRA_DIRECTIVES + " (playground)";
    settings.putIfAbsent("anonymous", new String[] {"true", where});
    settings.putIfAbsent("subscriptions", new String[] {"true", where});
    for (String key : List.of("cors_origins", "publish_origins")) {
      boolean configured = !key.equals(origin.getOrDefault(key, key)) || !values.getOrDefault(key, "").isBlank();
      if (!configured) {
        settings.putIfAbsent(key, new String[] {"*", where});
      }
    }
  }

  /** {@code issuer <id> { authorization_server  publisher { jwt <key> [<alg>] }  subscriber { ... } }}. */
  private JsonObject issuer(Caddyfile.Directive d, String where) {
    if (d.args().size() != 1 || d.args().get(0).isBlank()) {
      throw new ConfigException(where + ": write issuer <identifier> { publisher { jwt <key> [<algorithm>] } subscriber { ... } }");
    }
    JsonObject entry = new JsonObject().put("issuer", d.args().get(0));
    Map<String, JsonObject> jwks = new LinkedHashMap<>();
    for (Caddyfile.Directive sub : d.block()) {
      String at = where + " line " + sub.line() + " (" + sub.name() + ")";
      switch (sub.name()) {
        case "authorization_server" -> LOG.info("{}: the protected resource metadata lists no authorization server here", at);
        case "publisher", "subscriber" -> {
          if (sub.block().size() != 1 || !sub.args().isEmpty()) {
            throw new ConfigException(at + ": write " + sub.name() + " { jwt <key> [<algorithm>] }");
          }
          Caddyfile.Directive verifier = sub.block().get(0);
          if (verifier.name().equals("jwks_uri")) {
            if (verifier.args().isEmpty() || verifier.args().get(0).isEmpty()) {
              throw new ConfigException(at + ": write " + sub.name() + " { jwks_uri <url> [<algorithm>...] }");
            }
            jwks.put(sub.name(), new JsonObject().put("jwks_uri", verifier.args().get(0))
                .put("jwks_algorithms", new JsonArray(List.copyOf(verifier.args().subList(1, verifier.args().size())))));
            continue;
          }
          if (!verifier.name().equals("jwt") || verifier.args().isEmpty() || verifier.args().size() > 2 || verifier.args().get(0).isEmpty()) {
            throw new ConfigException(at + ": write " + sub.name() + " { jwt <key> [<algorithm>] } or " + sub.name() + " { jwks_uri <url> [<algorithm>...] }");
          }
          String key = verifier.args().get(0);
          String alg = verifier.args().size() == 2 && !verifier.args().get(1).isEmpty() ? verifier.args().get(1) : null;
          if (alg == null && key.startsWith("-----BEGIN")) {
            throw new ConfigException(at + ": a PEM key needs its algorithm (RS256, ES256, ...)");
          }
          entry.put(sub.name() + "_key", key).put(sub.name() + "_alg", alg == null ? "HS256" : alg);
        }
        default -> throw new ConfigException(at + ": unknown issuer directive \"" + sub.name() + "\"");
      }
    }
    if (!jwks.isEmpty()) {
      // an issuer's JWK Set verifies both roles here: the reference hub's per-role sets map when they are one set
      boolean oneSet = jwks.size() == 2 && jwks.get("publisher").equals(jwks.get("subscriber"));
      if (!oneSet || entry.containsKey("publisher_key") || entry.containsKey("subscriber_key")) {
        throw new ConfigException(where + ": an issuer's JWK Set serves both roles here: give publisher and subscriber the same"
            + " jwks_uri (and algorithms), or static keys (jwt) to both");
      }
      entry.mergeIn(jwks.get("publisher"));
    }
    return entry;
  }

  private void transport(Caddyfile.Directive d, String where) {
    String name = one(d, where);
    switch (name) {
      case "bolt" -> {
        for (Caddyfile.Directive option : d.block()) {
          String at = where + " line " + option.line() + " (" + option.name() + ")";
          switch (option.name()) {
            case "size" -> boltSize(one(option, at), at);
            case "path", "bucket_name" -> LOG.warn("{}: the history is kept in memory here; set QS_REDIS_URL to keep it across restarts", at);
            case "cleanup_frequency" -> LOG.info("{}: no effect (the history is trimmed on every append here)", at);
            default -> throw new ConfigException(at + ": unknown bolt transport option \"" + option.name() + "\"");
          }
        }
      }
      case "local" -> LOG.warn("{}: the hub always keeps a bounded history here (history.size, QS_HISTORY_SIZE)", where);
      default -> throw new ConfigException(where + ": the " + name + " transport has no equivalent here;"
          + " the history is in memory, or in Redis with QS_REDIS_URL (which also lets several nodes act as one hub)");
    }
  }

  /** {@code bolt://path?size=N}, {@code local://local}: the 0.x URL form of a transport. */
  private void transportUrl(String url, String where) {
    if (url.startsWith("local:")) {
      LOG.warn("{}: the hub always keeps a bounded history here (history.size, QS_HISTORY_SIZE)", where);
      return;
    }
    if (!url.startsWith("bolt:")) {
      throw new ConfigException(where + ": only bolt:// and local:// transports have an equivalent here;"
          + " the history is in memory, or in Redis with QS_REDIS_URL");
    }
    int q = url.indexOf('?');
    if (q >= 0) {
      for (String param : url.substring(q + 1).split("&")) {
        if (param.startsWith("size=")) {
          boltSize(param.substring(5), where);
        }
      }
    }
    LOG.warn("{}: the history is kept in memory here; set QS_REDIS_URL to keep it across restarts", where);
  }

  private void boltSize(String size, String where) {
    if (!size.matches("\\d{1,9}")) {
      throw new ConfigException(where + ": size is a whole number");
    }
    if (Long.parseLong(size) == 0) {
      LOG.warn("{}: an unlimited history does not exist here; it keeps history.size updates (QS_HISTORY_SIZE)", where);
    } else {
      set("history.size", size, where);
    }
  }

  /** Caddy's global options block: {@code debug} and {@code grace_period} have an equivalent; TLS and admin options do not matter here. */
  private void globalOption(Caddyfile.Directive d, String where) {
    switch (d.name()) {
      case "debug" -> {
        flag(d, where);
        set("log_level", "DEBUG", where);
      }
      case "grace_period" -> set("drain_window", duration(one(d, where), where), where);
      case "metrics" -> set("metrics.enabled", "true", where);
      default -> {
        if (!GLOBAL_WITHOUT_EFFECT.contains(d.name())) {
          throw new ConfigException(where + ": the Caddy global option \"" + d.name() + "\" has no equivalent here; remove it (see docs/MIGRATING.md)");
        }
        LOG.info("{}: no effect (TLS, certificates, Caddy's admin API and handler order are not the hub's business here)", where);
      }
    }
  }

  /**
   * {@code SERVER_NAME}, Caddy's site address: its port is the port the hub listens on. The address to bind
   * stays {@code QS_HTTP_HOST} (the image sets 0.0.0.0). A name or {@code https} asks Caddy for TLS, which
   * this hub leaves to a proxy: that is logged, with what to set.
   */
  private void serverName(String value) {
    String port = null;
    boolean tls = false;
    for (String address : value.split("[\\s,]+")) {
      if (address.isEmpty()) {
        continue;
      }
      Matcher m = SERVER_ADDRESS.matcher(address);
      if (!m.matches()) {
        throw new ConfigException(SERVER_NAME + ": not a site address: \"" + address + "\" (write :80, http://host:8080 or host)");
      }
      String scheme = m.group(1) == null ? null : m.group(1).toLowerCase(Locale.ROOT);
      if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
        throw new ConfigException(SERVER_NAME + ": not a site address: \"" + address + "\" (write :80, http://host:8080 or host)");
      }
      String p = m.group(3) != null ? m.group(3) : "http".equals(scheme) ? "80" : null;
      tls |= "https".equals(scheme) || (scheme == null && m.group(3) == null) || "443".equals(p);
      if (p != null) {
        if (port != null && !port.equals(p)) {
          throw new ConfigException(SERVER_NAME + ": the hub listens on one port; \"" + value + "\" names " + port + " and " + p);
        }
        port = p;
      }
    }
    if (port != null) {
      set("http.port", port, SERVER_NAME);
    }
    if (tls) {
      LOG.warn("{}=\"{}\" asks Caddy for HTTPS with its own certificates; Quicksilver serves plain HTTP on port {}:"
          + " terminate TLS in a proxy or Ingress in front of it, or write SERVER_NAME=':80' (or http://host:port)",
          SERVER_NAME, value, port != null ? port : "8080 (QS_HTTP_PORT)");
    }
  }

  // ---- arguments ------------------------------------------------------------------------------

  /** Sets a key of {@link Keys} (a name that is none is a mistake of this class, not of the deployment). */
  private void set(String key, String value, String where) {
    if (Keys.named(key).isEmpty()) {
      throw new IllegalStateException("no configuration key " + key);
    }
    settings.put(key, new String[] {value, where});
  }

  private boolean present(String name) {
    return env.get(name) != null && !env.get(name).isBlank();
  }

  private static void flag(Caddyfile.Directive d, String where) {
    if (!d.args().isEmpty() || !d.block().isEmpty()) {
      throw new ConfigException(where + ": takes no argument");
    }
  }

  private static String one(Caddyfile.Directive d, String where) {
    if (d.args().size() != 1 || d.args().get(0).isEmpty()) {
      throw new ConfigException(where + ": takes one argument");
    }
    return d.args().get(0);
  }

  private static List<String> atLeastOne(Caddyfile.Directive d, String where) {
    if (d.args().isEmpty() || !d.block().isEmpty()) {
      throw new ConfigException(where + ": takes one or more arguments");
    }
    return d.args();
  }

  /** A Go (Caddy) duration, {@code 40s}, {@code 1m30s}, {@code 1.5s}, {@code 1d}, as this hub writes it. */
  static String duration(String text, String where) {
    if (text.equals("0")) {
      return "0";
    }
    Matcher m = DURATION_PART.matcher(text);
    BigDecimal nanos = BigDecimal.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      BigDecimal unit = switch (m.group(2)) {
        case "ns" -> BigDecimal.ONE;
        case "us", "µs" -> BigDecimal.valueOf(1_000);
        case "ms" -> BigDecimal.valueOf(1_000_000);
        case "s" -> BigDecimal.valueOf(1_000_000_000L);
        case "m" -> BigDecimal.valueOf(60_000_000_000L);
        case "h" -> BigDecimal.valueOf(3_600_000_000_000L);
        default -> BigDecimal.valueOf(86_400_000_000_000L);
      };
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(unit));
      end = m.end();
    }
    if (end == 0 || end != text.length() || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new ConfigException(where + ": not a duration: \"" + text + "\" (write e.g. 40s, 1m30s, 500ms)");
    }
    long millis = nanos.divide(BigDecimal.valueOf(1_000_000), java.math.RoundingMode.CEILING).longValueExact();
    return Durations.format(Duration.ofMillis(millis));
  }

  /** A size as the reference hub reads it (go-humanize: {@code 512KB} is 512 000 bytes, {@code 1MiB} 1 048 576). */
  static long bytes(String text, String where) {
    Matcher m = BYTES.matcher(text.trim());
    if (!m.matches()) {
      throw new ConfigException(where + ": not a size: \"" + text + "\" (write e.g. 1MiB, 512KB)");
    }
    long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "", "b" -> 1;
      case "k", "kb" -> 1_000;
      case "ki", "kib" -> 1L << 10;
      case "m", "mb" -> 1_000_000;
      case "mi", "mib" -> 1L << 20;
      case "g", "gb" -> 1_000_000_000;
      case "gi", "gib" -> 1L << 30;
      default -> throw new ConfigException(where + ": not a size: \"" + text + "\" (units: B, KB, MB, GB, KiB, MiB, GiB)");
    };
    BigDecimal size = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
    if (size.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new ConfigException(where + ": too large: \"" + text + "\"");
    }
    return size.longValue();
  }
}
