package io.quicksilver.demo;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for the demo users: PBKDF2-HMAC-SHA256, written
 * {@code pbkdf2-sha256:<iterations>:<salt base64>:<hash base64>}. Verifying is CPU work (tens of
 * milliseconds): callers run it off the event loop.
 */
public final class Passwords {

  private static final int ITERATIONS = 210_000;
  private static final int BITS = 256;

  private Passwords() {
  }

  /** A new hash of the password with a random salt. */
  public static String hash(String password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    byte[] hash = derive(password, salt, ITERATIONS);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "pbkdf2-sha256:" + ITERATIONS + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
  }

  /**
   * A hash no password matches, costing what verifying {@code like} costs (same iterations; the default
   * when null or malformed): verified for unknown user names so that they answer as slowly as known ones.
   */
  public static String dummyLike(String like) {
    int iterations = ITERATIONS;
    String[] parts = like == null ? new String[0] : like.split(":");
    if (parts.length == 4 && parts[1].matches("\\d{1,8}")) {
      iterations = Integer.parseInt(parts[1]);
    }
    byte[] salt = new byte[16];
    byte[] hash = new byte[BITS / 8];
    SecureRandom random = new SecureRandom();
    random.nextBytes(salt);
    random.nextBytes(hash);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "pbkdf2-sha256:" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
  }

  /** Whether the password matches the stored hash (false for a malformed hash). */
  public static boolean verify(String password, String stored) {
    String[] parts = stored.split(":");
    if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      if (iterations < 1 || iterations > 10_000_000) {
        return false;
      }
      return MessageDigest.isEqual(derive(password, salt, iterations), expected);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, BITS);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2 unavailable", e);
    }
  }
}
