package io.quicksilver.auth;

import io.quicksilver.mercure.BoundedCache;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The claims of tokens already verified by one {@link Authorizer}, so that a client presenting the same token
 * again (a publisher on a keep-alive connection, a subscriber reconnecting) skips decoding it, checking its
 * signature and reading its claims.
 *
 * <p>What keeps every refusal a refusal:
 * <ul>
 *   <li>only a token whose whole verification succeeded is put, keyed by its exact text; a refused token is never
 *       held, so it is verified (and refused) each time;</li>
 *   <li>an entry is good until the token's {@code exp} (strictly: the leeway the verifier grants past it is left
 *       to the verifier, which sees the token again then);</li>
 *   <li>an entry is good only while the keys that verified it are the current ones: a JWK Set read (a rotation)
 *       installs a new provider, and every entry verified under the previous one is verified again (the provider
 *       is read before the verification, so one installed meanwhile also counts as a change);</li>
 *   <li>a draft-08 access token's claims depend on the resource identifier its audience was checked against: its
 *       entry serves that identifier only;</li>
 *   <li>memory is bounded: entries are counted by an estimate of their size, the least recently used leave first,
 *       and tokens longer than {@value #MAX_TOKEN_CHARS} characters are not held.</li>
 * </ul>
 * What the request adds to the token (its source: header, cookie or query; its origin) is checked on every
 * request by the {@link Authorizer}, cached or not. Thread-safe.
 */
final class VerifiedTokens {

  /** Tokens longer than this are verified every time (they are rare, and each would take much of the bound). */
  static final int MAX_TOKEN_CHARS = 8 * 1024;
  /** What an entry costs besides its token's characters (claims, selectors, the map's own objects), estimated. */
  private static final long ENTRY_BYTES = 1024;

  /**
   * One verified token.
   *
   * @param claims     what it grants
   * @param resource   the resource identifier a draft-08 token's audience was checked against (null: classic)
   * @param keys       the keys that verified it
   * @param provider   their provider when the verification began
   * @param expiresAtMillis its {@code exp} in epoch milliseconds ({@link Long#MAX_VALUE}: none)
   */
  private record Entry(MercureClaims claims, String resource, VerificationKeys keys, JWTAuth provider, long expiresAtMillis) {
  }

  private final BoundedCache<String, Entry> entries;
  private final LongSupplier nowMillis;

  /**
   * @param maxBytes  the estimated bytes the entries may take
   * @param nowMillis the wall clock, in epoch milliseconds
   */
  VerifiedTokens(long maxBytes, LongSupplier nowMillis) {
    this.entries = new BoundedCache<>(maxBytes);
    this.nowMillis = nowMillis;
  }

  /** The claims of a token verified before and still good for this resource identifier, or null. */
  MercureClaims get(String token, String resource) {
    if (token.length() > MAX_TOKEN_CHARS) {
      return null;
    }
    Entry entry = entries.get(token);
    if (entry == null) {
      return null;
    }
    if (nowMillis.getAsLong() >= entry.expiresAtMillis() || entry.keys().provider() != entry.provider()) {
      entries.remove(token);
      return null;
    }
    return entry.resource() == null || entry.resource().equals(resource) ? entry.claims() : null;
  }

  /**
   * Holds the claims of a token that was just verified.
   *
   * @param keys     the keys that verified it
   * @param provider {@code keys.provider()} read before the verification began
   */
  void put(String token, String resource, MercureClaims claims, VerificationKeys keys, JWTAuth provider) {
    if (token.length() > MAX_TOKEN_CHARS || keys == null || provider == null) {
      return;
    }
    long expiresAt = millis(claims.expiresAt());
    if (nowMillis.getAsLong() >= expiresAt) {
      return; // accepted within the leeway only: the verifier decides each time
    }
    entries.put(token, new Entry(claims, claims.draft08() ? resource : null, keys, provider, expiresAt),
        4L * token.length() + ENTRY_BYTES);
  }

  /** An instant in epoch milliseconds, {@link Long#MAX_VALUE} for none or one too far to count in them. */
  private static long millis(Instant instant) {
    if (instant == null || instant.getEpochSecond() >= Long.MAX_VALUE / 1000 - 1) {
      return Long.MAX_VALUE;
    }
    return instant.getEpochSecond() <= Long.MIN_VALUE / 1000 + 1 ? Long.MIN_VALUE : instant.toEpochMilli();
  }

  /** How many tokens are held. */
  int size() {
    return entries.size();
  }

  /** The estimated bytes held. */
  long bytes() {
    return entries.bytes();
  }
}
