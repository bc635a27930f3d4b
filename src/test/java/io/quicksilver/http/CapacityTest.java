package io.quicksilver.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CapacityTest {

  private static final long GIB = 1L << 30;

  @Test
  void derivedFromTheOpenFileLimitAndTheHeap() {
    assertEquals(19_744, Capacity.connectionsFor(GIB, 20_000), "the open-file limit, less 256");
    assertEquals(32_768, Capacity.connectionsFor(GIB, 1_048_576), "32 KiB of heap a connection");
    assertEquals(32_768, Capacity.connectionsFor(GIB, 0), "an unknown file limit: the heap alone");
    assertEquals(17, Capacity.connectionsFor(GIB, 100), "never fewer than the headroom and one stream");
  }

  @Test
  void streamsGetAllButATenthAtMost512KeptBack() {
    assertEquals("19744 connections, 19232 of them streams", new Capacity(19_744, 1_000_000).toString());
    assertEquals("2000 connections, 1800 of them streams", new Capacity(2_000, 1_000_000).toString());
    assertEquals("60 connections, 44 of them streams", new Capacity(60, 1_000_000).toString());
    assertEquals("unlimited connections", new Capacity(0, 1_000_000).toString());
  }

  @Test
  void aStreamPastItsShareIsRefusedWhileConnectionsRemain() {
    Capacity capacity = new Capacity(20, 1_000_000);
    for (int i = 0; i < 4; i++) {
      assertTrue(capacity.openStream(0));
    }
    assertFalse(capacity.openStream(0), "20 connections keep 16 back from streams");
    assertTrue(capacity.openConnection(), "a publisher still gets in");
  }
}
