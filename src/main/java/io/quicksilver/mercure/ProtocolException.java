package io.quicksilver.mercure;

/**
 * A request the protocol refuses: carries the HTTP status and a one-line reason for the client.
 * The reason never contains a credential.
 *
 * <p>Refusals of draft-08 credentials also carry their RFC 6750 error code ({@code invalid_token},
 * {@code insufficient_scope}, {@code invalid_request}), answered in {@code WWW-Authenticate}.
 */
public final class ProtocolException extends RuntimeException {

  private final int status;
  private final String bearerError;

  public ProtocolException(int status, String reason) {
    this(status, reason, null);
  }

  private ProtocolException(int status, String reason, String bearerError) {
    super(reason, null, false, false);
    this.status = status;
    this.bearerError = bearerError;
  }

  /** RFC 6750 challenge without an error code (401): the operation needs an access token and none was presented. */
  public static ProtocolException tokenRequired(String reason) {
    return new ProtocolException(401, reason, "");
  }

  /** RFC 6750 {@code invalid_token} (401): the access token is malformed, expired, or fails validation. */
  public static ProtocolException invalidToken(String reason) {
    return new ProtocolException(401, reason, "invalid_token");
  }

  /** RFC 6750 {@code insufficient_scope} (403): the token is valid but does not grant the request. */
  public static ProtocolException insufficientScope(String reason) {
    return new ProtocolException(403, reason, "insufficient_scope");
  }

  /** RFC 6750 {@code invalid_request} (400): the credentials are presented in a malformed way. */
  public static ProtocolException invalidRequest(String reason) {
    return new ProtocolException(400, reason, "invalid_request");
  }

  public static ProtocolException badRequest(String reason) {
    return new ProtocolException(400, reason);
  }

  public static ProtocolException unauthorized(String reason) {
    return new ProtocolException(401, reason);
  }

  public static ProtocolException forbidden(String reason) {
    return new ProtocolException(403, reason);
  }

  /** The HTTP status code to answer with. */
  public int status() {
    return status;
  }

  /**
   * The RFC 6750 error code; empty for a challenge without one (no token presented); null for a refusal
   * that is not about a bearer token.
   */
  public String bearerError() {
    return bearerError;
  }

  /** The one-line reason. */
  public String reason() {
    return getMessage();
  }
}
