package io.quicksilver.mercure;

/**
 * A request the protocol refuses: carries the HTTP status and a one-line reason for the client.
 * The reason never contains a credential.
 */
public final class ProtocolException extends RuntimeException {

  private final int status;

  public ProtocolException(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
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

  /** The one-line reason. */
  public String reason() {
    return getMessage();
  }
}
