package io.quicksilver.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes an immutable record between verticles of one node without copying. Refuses to go on the wire.
 *
 * @param <T> the record type
 */
final class LocalCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;

  LocalCodec(Class<T> type) {
    this.type = type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T t) {
    throw new UnsupportedOperationException(type.getSimpleName() + " is node-local");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(type.getSimpleName() + " is node-local");
  }

  @Override
  public T transform(T t) {
    return t;
  }

  @Override
  public String name() {
    return "qs.local." + type.getSimpleName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
