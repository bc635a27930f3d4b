package io.quicksilver.auth;

/** Who presents a token: each role has its own keys, so that one role's key cannot sign for the other. */
public enum Role {
  /** Publishes updates. */
  PUBLISHER,
  /** Receives updates. */
  SUBSCRIBER
}
