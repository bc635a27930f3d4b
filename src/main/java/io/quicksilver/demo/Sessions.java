package io.quicksilver.demo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless demo sessions: the cookie value is {@code <user id>.<expiry epoch seconds>.<HMAC>}, so any
 * node that shares the secret accepts it and nothing is stored. Thread-safe.
 */
public final class Sessions {

  /** The session cookie's name. */
  public static final String COOKIE = "qs_session";

  private final byte[] secret;
  private final Duration lifetime;
  private final Clock clock;

  /**
   * @param secret the signing secret; empty: a random one (sessions then die with the process)
   */
  public Sessions(String secret, Duration lifetime, Clock clock) {
    if (secret.isEmpty()) {
      this.secret = new byte[32];
      new SecureRandom().nextBytes(this.secret);
    } else {
      this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** How long a session lasts. */
  public Duration lifetime() {
    return lifetime;
  }

  /** A new session value for the user. */
  public String issue(String userId) {
    String body = userId + "." + clock.instant().plus(lifetime).getEpochSecond();
    return body + "." + mac(body);
  }

  /** The user id of a valid, unexpired session value, or null. */
  public String userOf(String value) {
    if (value == null) {
      return null;
    }
    int last = value.lastIndexOf('.');
    int first = value.indexOf('.');
    if (first <= 0 || last <= first) {
      return null;
    }
    String body = value.substring(0, last);
    if (!MessageDigest.isEqual(mac(body).getBytes(StandardCharsets.US_ASCII), value.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
      return null;
    }
    try {
      long expiry = Long.parseLong(value.substring(first + 1, last));
      return clock.instant().getEpochSecond() < expiry ? value.substring(0, first) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private String mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
