package io.quicksilver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceCheckerTest {

  private static BitSet range(int from, int to) {
    BitSet b = new BitSet();
    b.set(from, to);
    return b;
  }

  @Test
  void countsDuplicatesReorderingAndLossAgainstWhatWasAccepted() {
    SequenceChecker c = new SequenceChecker();
    assertEquals(SequenceChecker.Outcome.NEW, c.record(0));
    assertEquals(SequenceChecker.Outcome.NEW, c.record(1));
    assertEquals(SequenceChecker.Outcome.NEW, c.record(3));
    assertEquals(SequenceChecker.Outcome.OUT_OF_ORDER, c.record(2));
    assertEquals(SequenceChecker.Outcome.DUPLICATE, c.record(1));
    assertEquals(SequenceChecker.Outcome.NEW, c.record(6));
    assertEquals(5, c.distinct());
    assertEquals(1, c.duplicates());
    assertEquals(1, c.outOfOrder());
    assertEquals(6, c.highest());

    BitSet accepted = range(0, 8); // 0..7 accepted: 4, 5 and 7 never arrived
    assertEquals(3, c.lost(accepted));
    assertEquals(5, c.receivedOf(accepted));
    assertEquals(0, c.unexpected(accepted));
    assertEquals(2, c.lost(accepted, 4, 6));

    BitSet partial = range(0, 4); // the hub refused 4..7: 6 arrived anyway
    assertEquals(0, c.lost(partial));
    assertEquals(1, c.unexpected(partial));
    assertTrue(c.has(6));
    assertFalse(c.has(7));
  }

  @Test
  void payloadRoundTrip() {
    String s = Payload.encode(12, 345, 1_700_000_000_123_456_789L, 64);
    assertEquals(64, s.length());
    Payload p = Payload.decode(s);
    assertEquals(12, p.topic);
    assertEquals(345, p.seq);
    assertEquals(1_700_000_000_123_456_789L, p.scheduledNanos);
    Payload q = Payload.decode(Payload.encode(0, 0, 5, 0));
    assertEquals(5, q.scheduledNanos);
    assertNull(Payload.decode("{\"price\": 1}"));
    assertNull(Payload.decode("qsb x"));
  }

  @Test
  void sourceAddressRangesAndSharesAcrossProcesses() {
    assertEquals(List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"), Options.addresses("127.0.0.2-127.0.0.4"));
    assertEquals(List.of("127.0.0.2", "127.0.0.9"), Options.addresses("127.0.0.2,127.0.0.9"));
    List<String> all = Options.addresses("127.0.0.2-127.0.0.9");
    assertEquals(List.of("127.0.0.3", "127.0.0.6", "127.0.0.9"), Main.addressShare(all, 1, 3));
    assertEquals(List.of("127.0.0.3"), Main.addressShare(List.of("127.0.0.2", "127.0.0.3"), 3, 4));
    int[] share = Main.share(10, 1, 3);
    assertEquals(3, share.length);
    assertEquals(1, share[0]);
    assertEquals(7, share[2]);
  }
}
