package io.quicksilver.history;

/**
 * An append whose fate the store could not tell in time: it may be stored (and then delivered) or not
 * (504). A publisher that retries should send the same {@code id}, so that subscribers can recognise a
 * repeat.
 */
public final class OutcomeUnknownException extends RuntimeException {

  public OutcomeUnknownException(String message) {
    super(message, null, false, false);
  }
}
