package io.quicksilver.metrics;

/** Why a delivery instance declared that updates may have been lost (the {@code quicksilver_losses_declared} counter). */
public enum LossCause {
  /** A gap the store no longer holds. */
  GAP,
  /** The store's history was lost or went backwards: a new epoch. */
  EPOCH
}
