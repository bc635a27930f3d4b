package io.quicksilver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hub's figures are those of its whole process tree (nginx: the master and its workers). */
class HubProbeTest {

  @Test
  void readsTheProcessAndAllItsDescendants() throws Exception {
    // a parent with two children, one of which has a child of its own
    Process p = new ProcessBuilder("sh", "-c", "sleep 60 & sh -c 'sleep 60 & wait' & wait").start();
    try {
      HubProbe probe = new HubProbe(p.pid(), false);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (probe.processes() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      List<Long> tree = HubProbe.tree(p.pid());
      assertEquals(4, tree.size(), tree::toString);
      assertEquals(p.pid(), tree.get(0));
      assertTrue(probe.rssBytes() > 0);
      assertTrue(probe.pssBytes() > 0);
      assertTrue(probe.cpuSeconds() >= 0);
      assertTrue(probe.threads() >= 4);
      assertTrue(probe.openFiles() >= 4);
    } finally {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void noProcessReadsAsUnavailable() {
    HubProbe probe = new HubProbe(-1, false);
    assertEquals(-1, probe.cpuSeconds());
    assertEquals(-1, probe.rssBytes());
    assertEquals(-1, probe.pssBytes());
    assertEquals(0, HubProbe.tree(-1).size());
  }
}
