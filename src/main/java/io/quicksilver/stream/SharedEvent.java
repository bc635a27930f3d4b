package io.quicksilver.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * One SSE event's bytes, encoded once and shared by every stream it is written to.
 *
 * <p>For streams written straight to their socket ({@link DirectSink}) the event is held as one complete
 * HTTP/1.1 chunk ({@code <size in hex> CRLF <event> CRLF}) in a pooled direct buffer, made on first use;
 * each write sends a retained duplicate of it: no copy, and no allocation beyond the duplicate. Other
 * streams get a Vert.x buffer of the bare event, also made once.
 *
 * <p>Reference counted, event-loop confined: the creator holds one reference and {@link #release}s it when
 * done; whoever keeps the event for later (a stream still replaying its history) {@link #retain}s it. The
 * chunk buffer goes back to the pool when the last reference is released and the last write that carried it
 * has completed.
 */
final class SharedEvent {

  private static final byte[] CRLF = {'\r', '\n'};

  private final byte[] event;
  private ByteBuf chunk;
  private Buffer buffer;
  private int references = 1;

  /** @param event the encoded event; never empty (an empty chunk would end the response) */
  SharedEvent(byte[] event) {
    if (event.length == 0) {
      throw new IllegalArgumentException("empty event");
    }
    this.event = event;
  }

  /**
   * An event shared by every stream of every event loop for good (never released): both forms are made
   * now, so that threads only read them.
   */
  static SharedEvent permanent(byte[] event) {
    SharedEvent e = new SharedEvent(event);
    e.chunk = frame(event);
    e.buffer = Buffer.buffer(event);
    return e;
  }

  /** Size of the bare event in bytes. */
  int length() {
    return event.length;
  }

  /** A new reference to the chunk, for one socket write (the write releases it). */
  ByteBuf chunk() {
    if (chunk == null) {
      chunk = frame(event);
    }
    return chunk.retainedDuplicate();
  }

  /** The bare event as a Vert.x buffer, for streams written through their response. */
  Buffer buffer() {
    if (buffer == null) {
      buffer = Buffer.buffer(event);
    }
    return buffer;
  }

  SharedEvent retain() {
    references++;
    return this;
  }

  void release() {
    if (--references == 0 && chunk != null) {
      chunk.release();
      chunk = null;
    }
  }

  /** The event as one HTTP/1.1 chunk (RFC 9112, section 7.1) in a direct buffer. */
  private static ByteBuf frame(byte[] event) {
    byte[] size = Integer.toHexString(event.length).getBytes(StandardCharsets.US_ASCII);
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(size.length + event.length + 2 * CRLF.length);
    return buf.writeBytes(size).writeBytes(CRLF).writeBytes(event).writeBytes(CRLF);
  }
}
