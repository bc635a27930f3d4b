package io.quicksilver.http;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one node admits at once, shared by every HTTP verticle instance (thread-safe).
 *
 * <ul>
 *   <li>Connections: at most {@code maxConnections}; one more is closed as soon as it is accepted.</li>
 *   <li>Streams: all but a tenth of the connections (at least {@value #MIN_HEADROOM}, at most {@value #MAX_HEADROOM}
 *       stay free), so that when subscribers fill the node, publishers, health probes and metrics still get in.</li>
 *   <li>Compiled selectors held by open streams: at most {@code maxHeldInstructions} program instructions (see
 *       {@link io.quicksilver.mercure.CompileBudget}), so that many streams with complex selectors cannot
 *       exhaust the heap.</li>
 * </ul>
 */
public final class Capacity {

  /** Connections always left to requests other than streams. */
  static final int MIN_HEADROOM = 16;
  /** At most this many connections are kept back from streams: a big node gives streams all but these. */
  static final int MAX_HEADROOM = 512;
  /** File descriptors a node needs besides its connections: jars, logs, selectors, Redis, the cluster. */
  private static final long RESERVED_FILES = 256;
  /** Heap one open connection may need, with its stream, at most (an idle stream holds about 12 KiB). */
  private static final long BYTES_PER_CONNECTION = 32L << 10;
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
        : Math.max(1, maxConnections - Math.max(MIN_HEADROOM, Math.min(MAX_HEADROOM, maxConnections / 10)));
    this.maxHeldInstructions = maxHeldInstructions;
  }

  /**
   * The connections a node admits when {@code http.max_connections} is 0: as many as its open-file limit allows,
   * less {@value #RESERVED_FILES} for everything else, and as many as its heap holds at 32 KiB each.
   *
   * @param maxFiles the process's open-file limit (0 or less: unknown, only the heap counts)
   */
  public static int connectionsFor(long maxHeapBytes, long maxFiles) {
    long byHeap = Math.max(MIN_HEADROOM + 1, maxHeapBytes / BYTES_PER_CONNECTION);
    long byFiles = maxFiles > 0 ? Math.max(MIN_HEADROOM + 1, maxFiles - RESERVED_FILES) : Long.MAX_VALUE;
    return (int) Math.min(Integer.MAX_VALUE, Math.min(byHeap, byFiles));
  }

  /** The open-file limit of this process, or 0 when the platform does not say. */
  public static long openFileLimit() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : 0;
  }

  /** Most connections, and most streams among them. */
  @Override
  public String toString() {
    return maxConnections == 0 ? "unlimited connections" : maxConnections + " connections, " + maxStreams + " of them streams";
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
