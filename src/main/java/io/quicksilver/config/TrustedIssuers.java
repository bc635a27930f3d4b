package io.quicksilver.config;

import io.quicksilver.auth.JwkSetLocation;
import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.KeySource;
import io.quicksilver.auth.TrustedIssuer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code trusted_issuers}: a JSON array of objects (in the file, a YAML list of maps, which the loader hands
 * over as the same JSON), each with {@code issuer}, and static keys ({@code publisher_key} with
 * {@code publisher_alg}, {@code subscriber_key} with {@code subscriber_alg}) or a JWK Set ({@code jwks_uri}
 * with optional {@code jwks_algorithms}). Messages name the entry and the field, never the key material.
 */
final class TrustedIssuers {

  private static final List<String> FIELDS = List.of("issuer", "publisher_key", "publisher_alg", "subscriber_key", "subscriber_alg",
      "jwks_uri", "jwks_algorithms");

  private TrustedIssuers() {
  }

  /** The issuers of the JSON text, in order; none for an empty text. */
  static List<TrustedIssuer> parse(String s) {
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
        throw new IllegalArgumentException(where + " is not an object with " + String.join(", ", FIELDS));
      }
      for (String field : entry.fieldNames()) {
        if (!FIELDS.contains(field)) {
          throw new IllegalArgumentException(where + ": unknown field \"" + field + "\" (" + String.join(", ", FIELDS) + ")");
        }
      }
      if (!(entry.getValue("issuer") instanceof String issuer) || issuer.isBlank()) {
        throw new IllegalArgumentException(where + ": \"issuer\" must be a non-empty string");
      }
      where += " (" + issuer + ")";
      JwtKey publisher = key(entry, "publisher", where);
      JwtKey subscriber = key(entry, "subscriber", where);
      KeySource jwks = jwks(entry, where);
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
  private static KeySource jwks(JsonObject entry, String where) {
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

  /** The role's static key ({@code <role>_key} with {@code <role>_alg}), or null when it has none. */
  private static JwtKey key(JsonObject entry, String role, String where) {
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
      throw new IllegalArgumentException(where + ": " + role + "_key needs " + role + "_alg, one of " + Parsers.ALGORITHM_NAMES);
    }
    try {
      return JwtKey.parse(algorithm, material);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + role + "_key: " + e.getMessage());
    }
  }
}
