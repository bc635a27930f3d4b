package io.quicksilver.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every verification key of a node, built once: one {@link VerificationKeys} per configured source (the
 * publisher's and the subscriber's keys, each trusted issuer's), a JWK Set read by one fetcher however many roles
 * share it. Shared by the node's verticles. Thread-safe.
 */
public final class KeyRing {

  /**
   * How keys are verified and JWK Sets read.
   *
   * @param leeway       the clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}
   * @param jwksRefresh  how often JWK Sets are read again; a token naming an unknown key asks for a read at most
   *                     every {@link #minRefresh()}
   * @param jwksCaFile   a PEM file of the CA certificates trusted for {@code https://} sets, or null for the JVM's
   */
  public record Options(Duration leeway, Duration jwksRefresh, String jwksCaFile) {
    /** The shortest time between two reads a token naming an unknown key can ask for. */
    public Duration minRefresh() {
      return jwksRefresh.compareTo(MAX_MIN_REFRESH) < 0 ? jwksRefresh : MAX_MIN_REFRESH;
    }
  }

  private static final Duration MAX_MIN_REFRESH = Duration.ofSeconds(10);

  private final Map<KeySource, VerificationKeys> keys;
  private final List<JwkSetKeys> sets;
  private final WebClient client;

  private KeyRing(Map<KeySource, VerificationKeys> keys, List<JwkSetKeys> sets, WebClient client) {
    this.keys = keys;
    this.sets = sets;
    this.client = client;
  }

  /**
   * Builds the keys of every source and reads each JWK Set once; completes when every first read has ended,
   * whether it succeeded or not (a set that did not load refuses every token until a later read succeeds).
   */
  public static Future<KeyRing> start(Vertx vertx, List<KeySource> sources, Options options) {
    Map<KeySource, VerificationKeys> keys = new LinkedHashMap<>();
    Map<JwkSetLocation, JwkSetKeys> byLocation = new LinkedHashMap<>();
    WebClient client = null;
    for (KeySource source : sources) {
      if (source == null || keys.containsKey(source)) {
        continue;
      }
      if (source.key() != null) {
        keys.put(source, new StaticKeys(vertx, source.key(), options.leeway()));
        continue;
      }
      if (client == null && !source.jwks().isFile()) {
        client = client(vertx, options.jwksCaFile());
      }
      WebClient http = client;
      keys.put(source, byLocation.computeIfAbsent(source.jwks(),
          location -> new JwkSetKeys(vertx, http, location, options.leeway(), options.minRefresh())));
    }
    List<JwkSetKeys> sets = new ArrayList<>(byLocation.values());
    KeyRing ring = new KeyRing(keys, sets, client);
    return Future.join(sets.stream().map(set -> set.start(options.jwksRefresh())).toList()).map(x -> ring);
  }

  private static WebClient client(Vertx vertx, String caFile) {
    WebClientOptions options = new WebClientOptions()
        .setConnectTimeout(5_000)
        .setVerifyHost(true)
        .setUserAgent("Quicksilver");
    if (caFile != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(caFile));
    }
    return WebClient.create(vertx, options);
  }

  /** The keys of a source given to {@link #start}. */
  public VerificationKeys keys(KeySource source) {
    VerificationKeys k = keys.get(source);
    if (k == null) {
      throw new IllegalArgumentException("no keys built for " + source);
    }
    return k;
  }

  /** A verifier over the keys of a source given to {@link #start}. */
  public TokenVerifier verifier(KeySource source) {
    return new TokenVerifier(keys(source));
  }

  /** Whether every JWK Set was read at least once. */
  public boolean ready() {
    return sets.stream().allMatch(JwkSetKeys::ready);
  }

  /** Stops the periodic reads. */
  public Future<Void> close() {
    sets.forEach(JwkSetKeys::stop);
    if (client != null) {
      client.close();
    }
    return Future.succeededFuture();
  }
}
