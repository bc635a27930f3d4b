package io.quicksilver.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubEndpoint;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;



/**
 * An ordinary subscriber next to an attack: it keeps publishing control updates on its own topic and times how
 * long each takes to come back on its stream. While the hub serves it within a second, no attack held the hub.
 */
final class Bystander implements AutoCloseable {

  private final HubEndpoint hub;
  private final String topic = "urn:quicksilver:bystander:" + UUID.randomUUID();
  private final SseClient stream;
  private final String token = Tokens.publisher("*");
  private final AtomicBoolean sampling = new AtomicBoolean();
  private final AtomicLong worstMillis = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();
  private Thread sampler;

  private Bystander(HubEndpoint hub) {
    this.hub = hub;
    this.stream = SseClient.open(hub.hub("?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8)));
    assertEquals(200, stream.status(), stream.errorBody());
  }

  /** Subscribes to a control topic of its own. */
  static Bystander watch(HubEndpoint hub) {
    return new Bystander(hub);
  }

  /** Publishes one control update and returns how long it took to arrive on the stream, in milliseconds. */
  long roundTrip() {
    String data = UUID.randomUUID().toString();
    long started = System.nanoTime();
    Http.publish(hub, token, "topic", topic, "data", data);
    while (true) {
      SseClient.Event e = stream.next(Duration.ofSeconds(10));
      if (e.data().equals(data)) {
        return (System.nanoTime() - started) / 1_000_000;
      }
    }
  }

  /**
   * Times control updates for a while before any attack, and returns the slowest: what the machine's own load
   * (other processes on a shared machine) costs a delivery, so that an attack is judged by what it adds.
   */
  long baseline() {
    start();
    try {
      Thread.sleep(1500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return stop();
  }

  /**
   * The longest a control update may take during an attack: a second, plus twice what the machine's load alone
   * cost during the baseline.
   */
  static long limit(long baselineMillis) {
    return 1000 + 2 * baselineMillis;
  }

  /** Starts timing control updates, one after another, until {@link #stop}. */
  Bystander start() {
    worstMillis.set(0);
    samples.set(0);
    sampling.set(true);
    sampler = new Thread(() -> {
      while (sampling.get()) {
        long millis;
        try {
          millis = roundTrip();
        } catch (RuntimeException | AssertionError e) {
          millis = Long.MAX_VALUE; // lost or refused: the worst
        }
        worstMillis.accumulateAndGet(millis, Math::max);
        samples.incrementAndGet();
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bystander");
    sampler.setDaemon(true);
    sampler.start();
    return this;
  }

  /** Stops timing and returns the slowest delivery of a control update seen meanwhile, in milliseconds. */
  long stop() {
    sampling.set(false);
    try {
      sampler.join(20_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (samples.get() == 0) {
      throw new AssertionError("no control update was timed");
    }
    return worstMillis.get();
  }

  @Override
  public void close() {
    sampling.set(false);
    stream.close();
  }
}
