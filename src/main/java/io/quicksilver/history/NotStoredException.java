package io.quicksilver.history;

/**
 * An append that certainly did not happen and never will: Redis refused it, was unreachable before it was
 * sent, or cancelled it before running it. The update must not be dispatched; the publisher may retry (503).
 */
public final class NotStoredException extends RuntimeException {

  public NotStoredException(String message) {
    super(message, null, false, false);
  }
}
