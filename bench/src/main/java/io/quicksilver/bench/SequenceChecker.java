package io.quicksilver.bench;

import java.util.BitSet;

/**
 * Loss, duplicate and order accounting for one subscriber on one topic.
 *
 * <p>Remembers every sequence number received (a bit each). A number seen twice is a duplicate; a number
 * lower than the highest seen so far is out of order. Losses are counted at the end against the set of
 * sequence numbers the publisher knows were accepted ({@link #lost(BitSet)}): the hub is not required to
 * deliver a publish it refused, and a publish it accepted must arrive exactly once.
 */
public final class SequenceChecker {

  /** What {@link #record(long)} found. */
  public enum Outcome { NEW, DUPLICATE, OUT_OF_ORDER }

  private final BitSet seen = new BitSet();
  private long highest = -1;
  private long distinct;
  private long duplicates;
  private long outOfOrder;

  public Outcome record(long seq) {
    if (seq < 0 || seq > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("sequence out of range: " + seq);
    }
    int s = (int) seq;
    if (seen.get(s)) {
      duplicates++;
      return Outcome.DUPLICATE;
    }
    seen.set(s);
    distinct++;
    if (seq < highest) {
      outOfOrder++;
      return Outcome.OUT_OF_ORDER;
    }
    highest = seq;
    return Outcome.NEW;
  }

  /** Highest sequence number received, -1 if none. */
  public long highest() {
    return highest;
  }

  /** Distinct sequence numbers received. */
  public long distinct() {
    return distinct;
  }

  public long duplicates() {
    return duplicates;
  }

  public long outOfOrder() {
    return outOfOrder;
  }

  public boolean has(long seq) {
    return seq >= 0 && seq <= Integer.MAX_VALUE && seen.get((int) seq);
  }

  /** Accepted sequence numbers never received. */
  public long lost(BitSet accepted) {
    BitSet missing = (BitSet) accepted.clone();
    missing.andNot(seen);
    return missing.cardinality();
  }

  /** Accepted sequence numbers not received among those in [from, to). */
  public long lost(BitSet accepted, int from, int to) {
    BitSet missing = accepted.get(from, to);
    missing.andNot(seen.get(from, to));
    return missing.cardinality();
  }

  /** Received sequence numbers the publisher does not know as accepted (a publish that failed but was delivered). */
  public long unexpected(BitSet accepted) {
    BitSet extra = (BitSet) seen.clone();
    extra.andNot(accepted);
    return extra.cardinality();
  }

  /** Number of accepted sequence numbers received (for "caught up" tests). */
  public long receivedOf(BitSet accepted) {
    BitSet got = (BitSet) seen.clone();
    got.and(accepted);
    return got.cardinality();
  }
}
