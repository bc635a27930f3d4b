package io.quicksilver.stream;

/**
 * Where one SSE stream's bytes go, and how its connection is ended. Two kinds: {@link ResponseSink} writes through
 * Vert.x's response (HTTP/2, or whenever the direct path is unavailable), {@link DirectSink} writes the shared
 * event bytes straight to the Netty channel of an HTTP/1.1 connection. A stream starts with the former and
 * {@link #open}s the latter when it can. {@link Subscriber} knows only this interface.
 *
 * <p>Event-loop confined: every method runs on the event loop of the stream's verticle instance and never blocks.
 */
interface EventSink {

  /**
   * Sends the response head and the opening comment, and answers the sink the stream's events go through from
   * now on: a {@link DirectSink} when the connection allows it, else this one.
   *
   * @param resumedAfter the value of the cursor headers ({@code Last-Event-ID}), or null to send none (or those
   *                     already set)
   * @param onWritable   run when the connection takes writes again after it could not
   * @param registry     the stream's registry, which flushes what a direct sink wrote once per event-loop iteration
   */
  EventSink open(String resumedAfter, Runnable onWritable, SubscriberRegistry registry);

  /** Whether the events go straight to the socket ({@link DirectSink}). */
  boolean direct();

  /** Queues an event; it never blocks, however full the connection is (see {@link #writable}). */
  void write(SharedEvent event);

  /** Whether the connection's write queue is under its high-water mark. */
  boolean writable();

  /**
   * The idle timeout the stream applies to its own writes, 0 when the connection applies it by itself (Vert.x's
   * idle handler sees the writes).
   */
  long idleNanos();

  /** Whether the client is gone (the response is closed). */
  boolean clientGone();

  /** Ends the stream cleanly (the last chunk, or the end of an HTTP/2 stream); the connection may serve more. */
  void end();

  /**
   * Hands the connection back to Vert.x when the stream ends, before {@link #end} or {@link #drop}.
   *
   * @param keepConnection whether the connection stays open for what it serves next (not when it is dropped)
   */
  void release(boolean keepConnection);

  /**
   * Drops the stream at once, discarding what is queued: an HTTP/2 stream is reset (its connection serves others),
   * an HTTP/1.1 connection closed.
   */
  void drop();
}
