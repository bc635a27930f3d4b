package io.quicksilver.history;

/** A read asked for sequences of an epoch the store has left: they mean nothing in the current one. */
public final class EpochChangedException extends RuntimeException {

  public EpochChangedException(String asked, String current) {
    super("the store left epoch " + asked + " (now " + current + ")", null, false, false);
  }
}
