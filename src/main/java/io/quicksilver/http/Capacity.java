package io.quicksilver.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one node admits at once, shared by every HTTP verticle instance (thread-safe).
 *
 * <ul>
 *   <li>Connections: at most {@code maxConnections}; one more is closed as soon as it is accepted.</li>
 *   <li>Streams: all but a tenth of the connections (at least {@value #MIN_HEADROOM} stay free), so that when
 *       subscribers fill the node, publishers, health probes and metrics still get in.</li>
 *   <li>Compiled selectors held by open streams: at most {@code maxHeldInstructions} program instructions (see
 *       {@link io.quicksilver.mercure.CompileBudget}), so that many streams with complex selectors cannot
 *       exhaust the heap.</li>
 * </ul>
 */
public final class Capacity {

  /** Connections always left to requests other than streams. */
  static final int MIN_HEADROOM = 16;
  /** Estimated heap of one compiled instruction held by a stream (program and matching state). */
  private static final long BYTES_PER_INSTRUCTION = 128;

  private final int maxConnections;
  private final int maxStreams;
  private final long maxHeldInstructions;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();
  private final AtomicLong heldInstructions = new AtomicLong();

  /**
   * @param maxConnections      most open connections (0: unlimited)
   * @param maxHeldInstructions most compiled selector instructions open streams may hold together
   */
  public Capacity(int maxConnections, long maxHeldInstructions) {
    this.maxConnections = maxConnections;
    this.maxStreams = maxConnections == 0 ? Integer.MAX_VALUE
        : Math.max(1, maxConnections - Math.max(MIN_HEADROOM, maxConnections / 10));
    this.maxHeldInstructions = maxHeldInstructions;
  }

  /** The compiled selector instructions a heap of {@code maxHeapBytes} lets streams hold: a quarter of it. */
  public static long heldInstructionsFor(long maxHeapBytes) {
    return Math.max(1_000_000, maxHeapBytes / 4 / BYTES_PER_INSTRUCTION);
  }

  /** Takes a connection; false (nothing taken) when the node holds as many as it may. */
  boolean openConnection() {
    return take(connections, maxConnections == 0 ? Integer.MAX_VALUE : maxConnections);
  }

  void closeConnection() {
    connections.decrementAndGet();
  }

  /**
   * Takes a stream holding selectors of {@code instructions}; false (nothing taken) when the streams' share of
   * the connections, or of the compiled selectors, is used up.
   */
  public boolean openStream(long instructions) {
    if (!take(streams, maxStreams)) {
      return false;
    }
    if (heldInstructions.addAndGet(instructions) > maxHeldInstructions && instructions > 0) {
      heldInstructions.addAndGet(-instructions);
      streams.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back what {@link #openStream} took. */
  public void closeStream(long instructions) {
    heldInstructions.addAndGet(-instructions);
    streams.decrementAndGet();
  }

  private static boolean take(AtomicInteger counter, int max) {
    while (true) {
      int current = counter.get();
      if (current >= max) {
        return false;
      }
      if (counter.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }
}
