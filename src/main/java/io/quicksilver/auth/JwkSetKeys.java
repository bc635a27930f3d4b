package io.quicksilver.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verification keys read from a JWK Set (RFC 7517 section 5) over HTTPS or from a file, so that keys rotate
 * without a restart.
 *
 * <p>The set is read off the request path: at start, every {@code interval}, and when a token names a key the
 * set does not hold ({@link #refresh()}, at most once per {@code minInterval}). Each read replaces the keys as a
 * whole; a read that fails (unreachable, not a JWK Set, no usable key) keeps the last good set. Until a first
 * read succeeds there is no provider and every token is refused.
 *
 * <p>Usable keys: {@code kty} {@code RSA} (at least {@value JwtKey#MIN_RSA_BITS} bits) or {@code EC}, {@code use}
 * absent or {@code sig}. Algorithms are pinned: each key verifies the configured algorithms its type and curve
 * fit (and its own {@code alg} when it declares one); with none configured, the {@code alg} it declares, and a
 * key that declares none is skipped. Private members of a key are ignored. Thread-safe.
 */
public final class JwkSetKeys implements VerificationKeys {

  private static final Logger LOG = LoggerFactory.getLogger(JwkSetKeys.class);
  /** The largest JWK Set document read. */
  static final int MAX_BYTES = 1 << 20;
  /** The most keys taken from one set. */
  static final int MAX_KEYS = 100;
  private static final long FETCH_TIMEOUT_MS = 10_000;
  private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
  private static final Set<String> PUBLIC_KEY_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512");
  private static final Map<String, String> CURVES = Map.of("P-256", "ES256", "P-384", "ES384", "P-521", "ES512");

  /** A loaded set: its provider and the algorithms its keys verify. */
  private record Loaded(JWTAuth provider, Set<String> algorithms, int keys) {
  }

  private final Vertx vertx;
  private final WebClient client;
  private final JwkSetLocation location;
  private final Duration leeway;
  private final long minIntervalNanos;
  private volatile Loaded current;
  private Future<Boolean> inFlight;
  private long lastRead = Long.MIN_VALUE;
  private long timer = -1;

  /**
   * @param client      fetches {@code https://} sets (unused for files)
   * @param minInterval the shortest time between two reads asked for by {@link #refresh()}
   */
  public JwkSetKeys(Vertx vertx, WebClient client, JwkSetLocation location, Duration leeway, Duration minInterval) {
    this.vertx = vertx;
    this.client = client;
    this.location = location;
    this.leeway = leeway;
    this.minIntervalNanos = minInterval.toNanos();
  }

  /** Reads the set once (a failure is logged, not returned) and then every {@code interval}. */
  public Future<Void> start(Duration interval) {
    timer = vertx.setPeriodic(Math.max(1, interval.toMillis()), id -> read());
    return read().mapEmpty();
  }

  /** Stops the periodic reads. */
  public void stop() {
    vertx.cancelTimer(timer);
  }

  @Override
  public Set<String> algorithms() {
    // unpinned: any public-key algorithm passes here; the provider holds each key under its declared one only,
    // and a token whose algorithm or kid no key has asks for a read
    return location.algorithms().isEmpty() ? PUBLIC_KEY_ALGORITHMS : Set.copyOf(location.algorithms());
  }

  @Override
  public JWTAuth provider() {
    Loaded loaded = current;
    return loaded == null ? null : loaded.provider();
  }

  @Override
  public synchronized Future<Boolean> refresh() {
    if (inFlight != null) {
      return inFlight;
    }
    if (lastRead != Long.MIN_VALUE && System.nanoTime() - lastRead < minIntervalNanos) {
      return Future.succeededFuture(false);
    }
    return read();
  }

  @Override
  public boolean ready() {
    return current != null;
  }

  @Override
  public String describe() {
    return "JWK Set " + location.url();
  }

  /** Reads the set now; completes with whether another set was installed (never fails). */
  private synchronized Future<Boolean> read() {
    if (inFlight != null) {
      return inFlight;
    }
    lastRead = System.nanoTime();
    Future<Boolean> reading = fetch()
        .map(this::install)
        .recover(err -> {
          LOG.warn("JWK Set {} not read ({}); {}", location.url(), err.getMessage(),
              current == null ? "no key of it is usable yet" : "keeping the last good set");
          return Future.succeededFuture(false);
        });
    inFlight = reading;
    reading.onComplete(ar -> {
      synchronized (this) {
        inFlight = null;
      }
    });
    return reading;
  }

  private Future<Buffer> fetch() {
    if (location.isFile()) {
      return vertx.fileSystem().readFile(Path.of(URI.create(location.url())).toString());
    }
    return client.getAbs(location.url())
        .timeout(FETCH_TIMEOUT_MS)
        .followRedirects(false)
        .putHeader("Accept", "application/jwk-set+json, application/json")
        .send()
        .map(response -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode());
          }
          Buffer body = response.bodyAsBuffer();
          return body == null ? Buffer.buffer() : body;
        });
  }

  /** Replaces the keys with the set's usable ones; a set without any is refused. */
  private boolean install(Buffer document) {
    if (document.length() > MAX_BYTES) {
      throw new IllegalStateException("larger than " + MAX_BYTES + " bytes");
    }
    JsonArray keys;
    try {
      keys = document.toJsonObject().getJsonArray("keys");
    } catch (RuntimeException e) {
      throw new IllegalStateException("not a JWK Set (a JSON object with a \"keys\" array)");
    }
    if (keys == null) {
      throw new IllegalStateException("not a JWK Set (a JSON object with a \"keys\" array)");
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setLeeway((int) leeway.toSeconds()));
    Set<String> algorithms = new LinkedHashSet<>();
    int usable = 0;
    for (Object item : keys) {
      if (!(item instanceof JsonObject jwk)) {
        continue;
      }
      for (JsonObject verifying : verifying(jwk)) {
        if (usable == MAX_KEYS) {
          break;
        }
        options.addJwk(verifying);
        algorithms.add(verifying.getString("alg"));
        usable++;
      }
    }
    if (usable == 0) {
      throw new IllegalStateException("no usable key (RSA or EC signature keys with a pinned or declared algorithm)");
    }
    current = new Loaded(JWTAuth.create(vertx, options), Set.copyOf(algorithms), usable);
    LOG.info("JWK Set {}: {} key(s) for {}", location.url(), usable, algorithms);
    return true;
  }

  /** The key as one public JWK per algorithm it may verify; empty when it is not usable. */
  List<JsonObject> verifying(JsonObject jwk) {
    String kty = jwk.getValue("kty") instanceof String s ? s : "";
    Object use = jwk.getValue("use");
    if (!kty.equals("RSA") && !kty.equals("EC") || use != null && !"sig".equals(use)) {
      return List.of();
    }
    Object declared = jwk.getValue("alg");
    List<String> candidates = new ArrayList<>();
    if (location.algorithms().isEmpty()) {
      if (declared instanceof String alg) {
        candidates.add(alg);
      }
    } else {
      for (String alg : location.algorithms()) {
        if (declared == null || alg.equals(declared)) {
          candidates.add(alg);
        }
      }
    }
    candidates.removeIf(alg -> !JwtKey.ALGORITHMS.contains(alg) || !alg.startsWith(kty.equals("RSA") ? "RS" : "ES")
        || kty.equals("EC") && !alg.equals(CURVES.get(jwk.getValue("crv"))));
    if (candidates.isEmpty() || kty.equals("RSA") && modulusBits(jwk) < JwtKey.MIN_RSA_BITS) {
      return List.of();
    }
    JsonObject publicPart = jwk.copy();
    PRIVATE_MEMBERS.forEach(publicPart::remove);
    List<JsonObject> out = new ArrayList<>();
    for (String alg : candidates) {
      JsonObject key = publicPart.copy().put("alg", alg);
      if (VertxJose.usableJwk(key)) {
        out.add(key);
      }
    }
    return out;
  }

  private static int modulusBits(JsonObject jwk) {
    try {
      return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("n"))).bitLength();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
