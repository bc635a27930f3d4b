package io.quicksilver.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Context;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.Executor;
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
 * (Vert.x's drain handler only reports writes that went through Vert.x). The stream's head and its end still
 * go through the response ({@link ResponseSink}).
 *
 * <p>Only the hub's own responses are served this way: HTTP/1.1 (over TLS too: the chunks pass the TLS handler
 * below the encoder), chunked, head already written, the encoder and Vert.x's handler found in the pipeline.
 * Anything else (HTTP/2) keeps writing through the response.
 *
 * <p>This is the one class of the hub that reaches into Vert.x core's and Netty's internals (ArchitectureTest
 * keeps it so): the connection's channel and pipeline, the handlers Vert.x names {@value #VERTX_HANDLER} and
 * {@value #IDLE}, the close that skips Vert.x's handler ({@link #abort}), and the event loop behind a context
 * ({@link #afterTasks}). After a Vert.x update, {@code WritePathTest} fails if the direct path is no longer
 * taken. Event-loop confined.
 */
final class DirectSink extends ChannelInboundHandlerAdapter implements EventSink {

  private static final String NAME = "quicksilver-sse";
  private static final String IDLE = "idle";
  private static final String VERTX_HANDLER = "handler";

  private final ResponseSink response;
  private final Channel channel;
  private final ChannelHandlerContext encoder;
  private final Runnable onWritable;
  private final SubscriberRegistry registry;
  /**
   * The timeouts of the idle handler the connection had (reader, writer, all; milliseconds), to put a new one
   * back; null when it had none. The handler itself is not kept: an idle stream would hold it for nothing.
   */
  private final long[] idleMillis;
  /** The idle timeout the connection had, which the stream applies to its own writes; 0 for none. */
  private final long idleNanos;
  /** Written since the last flush (the registry's flush batch holds it). */
  boolean unflushed;

  private DirectSink(ResponseSink response, Channel channel, ChannelHandlerContext encoder, Runnable onWritable,
                     SubscriberRegistry registry, IdleStateHandler idle) {
    this.response = response;
    this.channel = channel;
    this.encoder = encoder;
    this.onWritable = onWritable;
    this.registry = registry;
    this.idleMillis = idle == null ? null
        : new long[] {idle.getReaderIdleTimeInMillis(), idle.getWriterIdleTimeInMillis(), idle.getAllIdleTimeInMillis()};
    this.idleNanos = idle == null ? 0 : TimeUnit.MILLISECONDS.toNanos(idle.getAllIdleTimeInMillis());
  }

  /**
   * Takes over the socket of a stream whose response head has been written, or answers null when the
   * stream must keep writing through its response.
   *
   * @param onWritable run when the socket's write buffer has drained below its low-water mark
   */
  static DirectSink open(ResponseSink standard, Runnable onWritable, SubscriberRegistry registry) {
    HttpServerResponse response = standard.response;
    if (!(standard.connection instanceof ConnectionBase base) || !response.headWritten() || response.closed()
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
    DirectSink sink = new DirectSink(standard, channel, encoder, onWritable, registry, idle);
    pipeline.addBefore(VERTX_HANDLER, NAME, sink);
    return sink;
  }

  @Override
  public EventSink open(String resumedAfter, Runnable onWritable, SubscriberRegistry registry) {
    return this; // opened already
  }

  @Override
  public boolean direct() {
    return true;
  }

  /**
   * Queues the event's HTTP/1.1 chunk; the socket write happens at the registry's next flush, or now if the
   * unflushed bytes went past the high-water mark (what then stays unwritable is a slow reader, not a batch
   * waiting for its flush).
   */
  @Override
  public void write(SharedEvent event) {
    if (channel.isActive()) {
      encoder.write(event.chunk(), encoder.voidPromise());
      if (!channel.isWritable()) {
        encoder.flush();
      }
    } // else the close handler ends the stream
    registry.flushLater(this);
  }

  void flush() {
    unflushed = false;
    encoder.flush();
  }

  @Override
  public boolean writable() {
    return channel.isWritable();
  }

  @Override
  public long idleNanos() {
    return idleNanos;
  }

  @Override
  public boolean clientGone() {
    return response.clientGone();
  }

  @Override
  public void end() {
    response.end();
  }

  /** Takes this handler out of the pipeline; later writes go through Vert.x, and the idle handler returns. */
  @Override
  public void release(boolean keepConnection) {
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.context(this) != null) {
      pipeline.remove(this);
    }
    if (keepConnection && idleMillis != null && channel.isActive() && pipeline.get(IDLE) == null
        && pipeline.get(VERTX_HANDLER) != null) {
      pipeline.addBefore(VERTX_HANDLER, IDLE,
          new IdleStateHandler(idleMillis[0], idleMillis[1], idleMillis[2], TimeUnit.MILLISECONDS));
    }
  }

  @Override
  public void drop() {
    abort(response.connection);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ctx.fireChannelWritabilityChanged();
    if (ctx.channel().isWritable()) {
      onWritable.run();
    }
  }

  /**
   * Drops a connection at once. Vert.x closes gracefully: {@link HttpConnection#close()} (and a close
   * through the channel's pipeline, which Vert.x's handler intercepts) first writes an empty buffer and
   * closes only once that write completes, which never happens while the peer does not read, so the
   * stalled socket would stay open for good. Closing from Vert.x's own handler context skips that handler
   * and closes the socket now, discarding what is queued.
   */
  static void abort(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channelHandlerContext().close();
    } else {
      connection.close();
    }
  }

  /**
   * Runs tasks on the context's event loop after the tasks already pending there (Netty's tail tasks, run
   * once per event-loop iteration), so that writes made by a burst of tasks are flushed together.
   */
  static Executor afterTasks(Context context) {
    if (context instanceof ContextInternal internal && internal.nettyEventLoop() instanceof SingleThreadEventLoop loop) {
      return loop::executeAfterEventLoopIteration;
    }
    return task -> context.runOnContext(v -> task.run());
  }
}
