package io.quicksilver.stream;

import io.quicksilver.mercure.SseEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;

/**
 * A stream written through Vert.x's {@link HttpServerResponse}: every stream until its head is out, and for good
 * the streams the direct path cannot take (HTTP/2 streams, which share their connection). Vert.x queues, frames
 * and flushes each write, and reports the drain of a full queue.
 */
final class ResponseSink implements EventSink {

  private static final Buffer OPEN = Buffer.buffer(SseEncoder.OPEN_COMMENT);
  /** HTTP/2 error code CANCEL (RFC 9113, section 7): the stream is no longer needed. */
  private static final long CANCEL = 0x8;

  final HttpServerResponse response;
  final HttpConnection connection;
  /** An HTTP/2 stream: other streams share its connection, so dropping it resets the stream alone. */
  private final boolean multiplexed;

  ResponseSink(HttpServerResponse response, HttpConnection connection, boolean multiplexed) {
    this.response = response;
    this.connection = connection;
    this.multiplexed = multiplexed;
  }

  @Override
  public EventSink open(String resumedAfter, Runnable onWritable, SubscriberRegistry registry) {
    if (resumedAfter != null) {
      SubscribeHandler.cursorHeaders(response, resumedAfter);
    }
    response.drainHandler(v -> onWritable.run());
    response.write(OPEN);
    DirectSink direct = DirectSink.open(this, onWritable, registry);
    return direct != null ? direct : this;
  }

  @Override
  public boolean direct() {
    return false;
  }

  @Override
  public void write(SharedEvent event) {
    response.write(event.buffer());
  }

  @Override
  public boolean writable() {
    return !response.writeQueueFull();
  }

  @Override
  public long idleNanos() {
    return 0;
  }

  @Override
  public boolean clientGone() {
    return response.closed();
  }

  @Override
  public void end() {
    response.end();
  }

  @Override
  public void release(boolean keepConnection) {
  }

  @Override
  public void drop() {
    if (multiplexed) {
      response.reset(CANCEL);
    } else {
      DirectSink.abort(connection);
    }
  }
}
