package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolException;
import io.vertx.ext.web.RoutingContext;

/**
 * What the authentication step found out about a request, kept on its {@link RoutingContext} for the handlers
 * after it: the verified claims and the protocol generation the request speaks.
 *
 * @param claims             the claims of the verified token, or null when the request carries none
 * @param generation         the request's protocol generation, which answers its refusals
 * @param resourceIdentifier the hub's resource identifier for this request
 */
public record Authentication(MercureClaims claims, Generation generation, String resourceIdentifier) {

  /** The key under which the step stores it in the routing context. */
  public static final String KEY = "quicksilver.authentication";

  /** The authentication of a request that went through the step. */
  public static Authentication of(RoutingContext ctx) {
    Authentication authentication = ctx.get(KEY);
    if (authentication == null) {
      throw new IllegalStateException("no authentication step before " + ctx.request().path());
    }
    return authentication;
  }

  /**
   * The claims, which the request must carry.
   *
   * @param reason what is missing, for the refusal
   * @throws ProtocolException the generation's "token required" answer
   */
  public MercureClaims require(String reason) {
    if (claims == null) {
      throw generation.tokenRequired(reason);
    }
    return claims;
  }

  /**
   * The claims, or {@link MercureClaims#ANONYMOUS} when the request carries none and anonymous access is on.
   *
   * @throws ProtocolException the generation's "token required" answer when anonymous access is off
   */
  public MercureClaims orAnonymous(boolean anonymous, String reason) {
    return claims == null && anonymous ? MercureClaims.ANONYMOUS : require(reason);
  }

  /** Whether the request speaks draft-08. */
  public boolean draft08() {
    return generation == Generation.DRAFT_08;
  }
}
