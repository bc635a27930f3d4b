package io.quicksilver.metrics;

/** Why a subscriber's stream ended, for logs and the {@code quicksilver_subscribers_disconnected} counter. */
public enum CloseReason { CLIENT_GONE, LIFETIME, TOKEN_EXPIRED, SLOW, LOSS, DRAIN, SHUTDOWN }
