package io.quicksilver.mercure;

/** The hub's path. */
public final class HubPath {

  /**
   * Where the hub listens and, below it, publishes its own events (classic protocol "Discovery", draft-08
   * "Reserved Hub Namespace").
   */
  public static final String VALUE = "/.well-known/mercure";

  private HubPath() {
  }
}
