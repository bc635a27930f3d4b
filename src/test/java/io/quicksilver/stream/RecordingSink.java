package io.quicksilver.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link EventSink} that records what a stream writes, for tests of a {@link Subscriber} without a connection:
 * the data lines of its events, whether it was ended or dropped and when; it takes {@code capacity} events before
 * it reports itself unwritable (raise it and call {@link #drained} to let the stream go on).
 */
final class RecordingSink implements EventSink {

  final List<String> data = new ArrayList<>();
  int capacity = Integer.MAX_VALUE;
  boolean opened;
  boolean ended;
  boolean dropped;
  long endedAtNanos;
  private Runnable onWritable;

  /** Lets the stream write again, as a socket that drained. */
  void drained() {
    capacity = Integer.MAX_VALUE;
    onWritable.run();
  }

  @Override
  public EventSink open(String resumedAfter, Runnable onWritable, SubscriberRegistry registry) {
    this.opened = true;
    this.onWritable = onWritable;
    return this;
  }

  @Override
  public boolean direct() {
    return false;
  }

  @Override
  public void write(SharedEvent event) {
    for (String line : event.buffer().toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      }
    }
  }

  @Override
  public boolean writable() {
    return data.size() < capacity;
  }

  @Override
  public long idleNanos() {
    return 0;
  }

  @Override
  public boolean clientGone() {
    return false;
  }

  @Override
  public void end() {
    ended = true;
    endedAtNanos = System.nanoTime();
  }

  @Override
  public void release(boolean keepConnection) {
  }

  @Override
  public void drop() {
    dropped = true;
  }
}
