package io.quicksilver.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;



/**
 * The hub's delivery contract, checked on every publish a test makes: an update answered 200 reaches every
 * matching open subscriber, live or through a reconnection after the hub ended the stream (a declared loss);
 * an update answered 503 is never delivered, not even later. An update answered 504 (the store did not say
 * in time whether it holds it) may be delivered or not.
 *
 * <p>Thread-safe: several threads may publish through one contract.
 */
public final class DeliveryContract {

  private static final String PUBLISHER = Tokens.publisher("*");

  private final String topic;
  private final Map<String, Integer> outcomes = new LinkedHashMap<>();

  /** @param topic the topic every update of the test is published to */
  public DeliveryContract(String topic) {
    this.topic = topic;
  }

  /** Publishes an update whose id and data are {@code id}, and records the answer's status (0: no answer). */
  public int publish(URI hub, String id) {
    int status;
    try {
      HttpResponse<String> r = Http.post(hub, PUBLISHER, Http.form("topic", topic, "id", id, "data", id));
      status = r.statusCode();
      if (status == 503) {
        assertTrue(r.headers().firstValue("Retry-After").isPresent(), "Retry-After on a 503");
      }
    } catch (RuntimeException e) {
      status = 0;
    }
    synchronized (this) {
      outcomes.put(id, status);
    }
    return status;
  }

  /**
   * Publishes an update until it is answered 200 (bounded in count and time), as a publisher retrying after
   * 503s would; returns the last status.
   */
  public int publishUntilAccepted(URI hub, String id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int status = 0;
    for (int i = 0; i < 100 && status != 200 && System.nanoTime() < deadline; i++) {
      status = publish(hub, id);
      if (status != 200) {
        sleep(200);
      }
    }
    return status;
  }

  /** The ids published so far whose answer had this status, in publish order. */
  public synchronized List<String> answered(int status) {
    List<String> ids = new ArrayList<>();
    outcomes.forEach((id, s) -> {
      if (s == status) {
        ids.add(id);
      }
    });
    return ids;
  }

  /** Every status answered so far, by id. */
  public synchronized Map<String, Integer> outcomes() {
    return new LinkedHashMap<>(outcomes);
  }

  /**
   * Publishes a control update until it is accepted (bounded), then checks every subscriber: each received
   * every update answered 200 (and the control), none answered 503, nothing that was never published, and
   * nothing twice.
   */
  public void verify(URI hub, Duration timeout, ResumingSubscriber... subscribers) {
    assertEquals(200, publishUntilAccepted(hub, "urn:test:control-" + System.nanoTime(), timeout),
        "the control update is accepted once the store is healthy");
    List<String> accepted = answered(200);
    Set<String> refused = new HashSet<>(answered(503));
    for (ResumingSubscriber s : subscribers) {
      s.awaitAll(accepted, timeout);
      List<String> received = s.ids();
      for (String id : received) {
        assertTrue(!refused.contains(id), id + " was answered 503 and delivered anyway");
        synchronized (this) {
          assertTrue(outcomes.containsKey(id), id + " was delivered but never published");
        }
      }
      assertEquals(new HashSet<>(received).size(), received.size(), "an update delivered twice: " + received);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
