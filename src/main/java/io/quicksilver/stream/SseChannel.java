package io.quicksilver.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;

/**
 * The socket under one HTTP/1.1 SSE stream, written directly: each event goes to the Netty channel as a
 * pre-framed chunk ({@link SharedEvent#chunk}) from the HTTP encoder's position in the pipeline, with the
 * void promise and without a flush (the {@link SubscriberRegistry} flushes every written channel once per
 * event-loop iteration). This skips, per delivery, the Vert.x response's checks, its write queue and
 * promise, the HTTP encoder's chunk header buffer, and the idle handler's write listener.
 *
 * <p>While the stream is open this class replaces the connection's {@link IdleStateHandler} (which would
 * see none of these writes, and adds a listener to every write it does see): the stream's own upkeep
 * ({@link Subscriber#tick}) applies the same timeout to its writes instead, and a stream that stays
 * unwritable is disconnected as a slow subscriber. When the stream ends, the idle handler is put back for
 * whatever the connection serves next. It also passes the channel's writability changes on to the stream
 * (Vert.x's drain handler only reports writes that went through Vert.x).
 *
 * <p>Only the hub's own responses are served this way: HTTP/1.1, chunked, head already written, the
 * encoder found in the pipeline. Anything else (HTTP/2) keeps writing through the response. Event-loop
 * confined.
 */
final class SseChannel extends ChannelInboundHandlerAdapter {

  private static final String NAME = "quicksilver-sse";
  private static final String IDLE = "idle";
  private static final String VERTX_HANDLER = "handler";

  private final Channel channel;
  private final ChannelHandlerContext encoder;
  private final Runnable onWritable;
  private final IdleStateHandler idle;
  /** The idle timeout the connection had, which the stream applies to its own writes; 0 for none. */
  private final long idleNanos;
  /** Written since the last flush (the registry's flush batch holds it). */
  boolean unflushed;

  private SseChannel(Channel channel, ChannelHandlerContext encoder, Runnable onWritable, IdleStateHandler idle) {
    this.channel = channel;
    this.encoder = encoder;
    this.onWritable = onWritable;
    this.idle = idle;
    this.idleNanos = idle == null ? 0 : TimeUnit.MILLISECONDS.toNanos(idle.getAllIdleTimeInMillis());
  }

  /**
   * Takes over the socket of a stream whose response head has been written, or answers null when the
   * stream must keep writing through its response.
   *
   * @param onWritable run when the socket's write buffer has drained below its low-water mark
   */
  static SseChannel open(HttpServerResponse response, HttpConnection connection, Runnable onWritable) {
    if (!(connection instanceof ConnectionBase base) || !response.headWritten() || response.closed()
        || !"chunked".equalsIgnoreCase(response.headers().get("Transfer-Encoding"))) {
      return null;
    }
    Channel channel = base.channel();
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandlerContext encoder = pipeline.context(HttpResponseEncoder.class);
    if (encoder == null || pipeline.get(VERTX_HANDLER) == null || pipeline.get(NAME) != null) {
      return null;
    }
    IdleStateHandler idle = pipeline.get(IDLE) instanceof IdleStateHandler h ? h : null;
    if (idle != null) {
      pipeline.remove(idle);
    }
    SseChannel sse = new SseChannel(channel, encoder, onWritable, idle);
    pipeline.addBefore(VERTX_HANDLER, NAME, sse);
    return sse;
  }

  /**
   * Queues a message that is already HTTP/1.1 framed; the socket write happens at the next flush, or now if
   * the unflushed bytes went past the high-water mark (what then stays unwritable is a slow reader, not a
   * batch waiting for its flush).
   */
  void write(ByteBuf framed) {
    if (channel.isActive()) {
      encoder.write(framed, encoder.voidPromise());
      if (!channel.isWritable()) {
        encoder.flush();
      }
    } else {
      framed.release(); // the close handler ends the stream
    }
  }

  void flush() {
    unflushed = false;
    encoder.flush();
  }

  /** Whether the socket's write buffer is under its high-water mark. */
  boolean writable() {
    return channel.isWritable();
  }

  /** The idle timeout the connection had (applied by the stream to its own writes), 0 for none. */
  long idleNanos() {
    return idleNanos;
  }

  /**
   * Hands the connection back; later writes go through Vert.x.
   *
   * @param restoreIdle whether the idle handler returns (not for a connection about to be dropped)
   */
  void close(boolean restoreIdle) {
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.context(this) != null) {
      pipeline.remove(this);
    }
    if (restoreIdle && idle != null && channel.isActive() && pipeline.get(IDLE) == null && pipeline.get(VERTX_HANDLER) != null) {
      pipeline.addBefore(VERTX_HANDLER, IDLE, new IdleStateHandler(idle.getReaderIdleTimeInMillis(),
          idle.getWriterIdleTimeInMillis(), idle.getAllIdleTimeInMillis(), TimeUnit.MILLISECONDS));
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ctx.fireChannelWritabilityChanged();
    if (ctx.channel().isWritable()) {
      onWritable.run();
    }
  }
}
