package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolException;

/**
 * The protocol generation a request speaks, which owns how its credential refusals are answered: the classic
 * protocol with plain 401 and 403, draft-08 with the RFC 6750 error codes in a {@code WWW-Authenticate: Bearer}
 * challenge (draft-08 "Authorization").
 */
public enum Generation {

  /** Classic Mercure (draft-dunglas-mercure-07). */
  CLASSIC {
    @Override
    public ProtocolException tokenRequired(String reason) {
      return ProtocolException.unauthorized(reason);
    }

    @Override
    public ProtocolException invalidToken(String reason) {
      return ProtocolException.unauthorized(reason);
    }

    @Override
    public ProtocolException malformedPresentation(String reason) {
      return ProtocolException.unauthorized(reason);
    }

    @Override
    public ProtocolException refusedOrigin(String reason) {
      return ProtocolException.forbidden(reason);
    }

    @Override
    public ProtocolException notGranted(String reason) {
      return ProtocolException.forbidden(reason);
    }
  },

  /** Draft-08 (Mercure 1.0). */
  DRAFT_08 {
    @Override
    public ProtocolException tokenRequired(String reason) {
      return ProtocolException.tokenRequired(reason);
    }

    @Override
    public ProtocolException invalidToken(String reason) {
      return ProtocolException.invalidToken(reason);
    }

    @Override
    public ProtocolException malformedPresentation(String reason) {
      return ProtocolException.invalidRequest(reason);
    }

    @Override
    public ProtocolException refusedOrigin(String reason) {
      return ProtocolException.invalidRequest(reason);
    }

    @Override
    public ProtocolException notGranted(String reason) {
      return ProtocolException.insufficientScope(reason);
    }
  };

  /** The request carries no token and needs one: 401 (draft-08: the bare challenge). */
  public abstract ProtocolException tokenRequired(String reason);

  /** The token fails validation: 401 (draft-08: {@code invalid_token}). */
  public abstract ProtocolException invalidToken(String reason);

  /** The credential is presented in a malformed way: 401 (draft-08: 400 {@code invalid_request}). */
  public abstract ProtocolException malformedPresentation(String reason);

  /** A cookie used from an origin that may not use it: 403 (draft-08: 400 {@code invalid_request}). */
  public abstract ProtocolException refusedOrigin(String reason);

  /** A valid token that does not grant the request: 403 (draft-08: {@code insufficient_scope}). */
  public abstract ProtocolException notGranted(String reason);
}
