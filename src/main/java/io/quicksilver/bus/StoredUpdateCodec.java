package io.quicksilver.bus;

import io.quicksilver.mercure.Update;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of a {@link StoredUpdate} on {@link Addresses#UPDATES}; locally the same immutable instance is
 * passed on.
 *
 * <p>Layout (big-endian): version byte, epoch, sequence (long), flags (byte: 1 private, 2 type, 4 retry),
 * id, topic count (int) and topics, data, [type], [retry (long)]; strings as int length + UTF-8.
 */
final class StoredUpdateCodec implements MessageCodec<StoredUpdate, StoredUpdate> {

  /** The codec's name on the wire, from before the message was called StoredUpdate: nodes of both versions keep talking. */
  static final String NAME = "qs.dispatch";
  private static final byte VERSION = 1;

  @Override
  public void encodeToWire(Buffer buffer, StoredUpdate stored) {
    Update u = stored.update();
    buffer.appendByte(VERSION);
    appendString(buffer, stored.epoch());
    buffer.appendLong(u.sequence());
    byte flags = (byte) ((u.privateUpdate() ? 1 : 0) | (u.type() != null ? 2 : 0) | (u.retry() != null ? 4 : 0));
    buffer.appendByte(flags);
    appendString(buffer, u.id());
    buffer.appendInt(u.topics().size());
    for (String t : u.topics()) {
      appendString(buffer, t);
    }
    appendString(buffer, u.data());
    if (u.type() != null) {
      appendString(buffer, u.type());
    }
    if (u.retry() != null) {
      buffer.appendLong(u.retry());
    }
  }

  @Override
  public StoredUpdate decodeFromWire(int pos, Buffer buffer) {
    int[] p = {pos};
    byte version = buffer.getByte(p[0]++);
    if (version != VERSION) {
      throw new IllegalStateException("unknown update wire version " + version);
    }
    String epoch = readString(buffer, p);
    long seq = buffer.getLong(p[0]);
    p[0] += 8;
    byte flags = buffer.getByte(p[0]++);
    String id = readString(buffer, p);
    int n = buffer.getInt(p[0]);
    p[0] += 4;
    List<String> topics = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      topics.add(readString(buffer, p));
    }
    String data = readString(buffer, p);
    String type = (flags & 2) != 0 ? readString(buffer, p) : null;
    Long retry = null;
    if ((flags & 4) != 0) {
      retry = buffer.getLong(p[0]);
      p[0] += 8;
    }
    return new StoredUpdate(epoch, new Update(seq, id, topics, data, (flags & 1) != 0, type, retry));
  }

  @Override
  public StoredUpdate transform(StoredUpdate stored) {
    return stored;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  private static void appendString(Buffer buffer, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length);
    buffer.appendBytes(bytes);
  }

  private static String readString(Buffer buffer, int[] p) {
    int len = buffer.getInt(p[0]);
    p[0] += 4;
    String s = buffer.getString(p[0], p[0] + len, "UTF-8");
    p[0] += len;
    return s;
  }
}
