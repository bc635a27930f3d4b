package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolException;
import java.util.function.Function;

/**
 * The protocol generation a request speaks, which owns how its credential refusals are answered: the classic
 * protocol with plain 401 and 403, draft-08 with the RFC 6750 error codes in a {@code WWW-Authenticate: Bearer}
 * challenge (draft-08 "Authorization").
 */
public enum Generation {

  /** Classic Mercure (draft-dunglas-mercure-07). */
  CLASSIC(ProtocolException::unauthorized, ProtocolException::unauthorized, ProtocolException::unauthorized,
      ProtocolException::forbidden, ProtocolException::forbidden),

  /** Draft-08 (Mercure 1.0). */
  DRAFT_08(ProtocolException::tokenRequired, ProtocolException::invalidToken, ProtocolException::invalidRequest,
      ProtocolException::invalidRequest, ProtocolException::insufficientScope);

  private final Function<String, ProtocolException> tokenRequired;
  private final Function<String, ProtocolException> invalidToken;
  private final Function<String, ProtocolException> malformedPresentation;
  private final Function<String, ProtocolException> refusedOrigin;
  private final Function<String, ProtocolException> notGranted;

  Generation(Function<String, ProtocolException> tokenRequired, Function<String, ProtocolException> invalidToken,
             Function<String, ProtocolException> malformedPresentation, Function<String, ProtocolException> refusedOrigin,
             Function<String, ProtocolException> notGranted) {
    this.tokenRequired = tokenRequired;
    this.invalidToken = invalidToken;
    this.malformedPresentation = malformedPresentation;
    this.refusedOrigin = refusedOrigin;
    this.notGranted = notGranted;
  }

  /** The request carries no token and needs one: 401 (draft-08: the bare challenge). */
  public ProtocolException tokenRequired(String reason) {
    return tokenRequired.apply(reason);
  }

  /** The token fails validation: 401 (draft-08: {@code invalid_token}). */
  public ProtocolException invalidToken(String reason) {
    return invalidToken.apply(reason);
  }

  /** The credential is presented in a malformed way: 401 (draft-08: 400 {@code invalid_request}). */
  public ProtocolException malformedPresentation(String reason) {
    return malformedPresentation.apply(reason);
  }

  /** A cookie used from an origin that may not use it: 403 (draft-08: 400 {@code invalid_request}). */
  public ProtocolException refusedOrigin(String reason) {
    return refusedOrigin.apply(reason);
  }

  /** A valid token that does not grant the request: 403 (draft-08: {@code insufficient_scope}). */
  public ProtocolException notGranted(String reason) {
    return notGranted.apply(reason);
  }
}
