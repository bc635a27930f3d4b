package io.quicksilver.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a hub process's resources from /proc: CPU seconds (utime + stime of /proc/PID/stat over the
 * clock tick rate), resident memory (VmRSS of /proc/PID/status), open files, threads; and, for a JVM
 * hub, the heap in use right after a full GC ({@code jcmd PID GC.run}, then {@code GC.heap_info}).
 * Every value is -1 when unavailable (no pid, another machine, not a JVM).
 */
public final class HubProbe {

  private static final long CLOCK_TICKS = clockTicks();
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private final long pid;
  private final boolean heap;

  public HubProbe(long pid, boolean heap) {
    this.pid = pid;
    this.heap = heap;
  }

  public boolean enabled() {
    return pid > 0;
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return Long.parseLong(s);
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return 100;
    }
  }

  /** utime + stime of a process, in seconds; -1 if unreadable. */
  public static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": f[0] is field 3 (state); utime is field 14, stime field 15
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  public double cpuSeconds() {
    return pid > 0 ? cpuSeconds(pid) : -1;
  }

  /** VmRSS in bytes; -1 if unreadable. */
  public long rssBytes() {
    return statusField("VmRSS:") * 1024;
  }

  public long threads() {
    return statusField("Threads:");
  }

  public long openFiles() {
    if (pid <= 0) {
      return -1;
    }
    try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return s.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private long statusField(String name) {
    if (pid <= 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return -1;
  }

  /** Heap used right after a full GC, in bytes; -1 when disabled or jcmd fails. */
  public long heapAfterGcBytes() {
    if (pid <= 0 || !heap) {
      return -1;
    }
    try {
      run("jcmd", Long.toString(pid), "GC.run");
      String info = run("jcmd", Long.toString(pid), "GC.heap_info");
      Matcher m = HEAP_USED.matcher(info);
      return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return out;
  }

  /** One snapshot: heap after a full GC (if enabled), then cpu, rss, files, threads. */
  public JsonObject snapshot(boolean withHeap) {
    // The full GC first (when asked), so that RSS is read in the same post-GC state every time.
    long heapAfterGc = withHeap ? heapAfterGcBytes() : -1;
    return new JsonObject()
        .put("cpuSeconds", cpuSeconds())
        .put("rssBytes", rssBytes())
        .put("heapAfterGcBytes", heapAfterGc)
        .put("openFiles", openFiles())
        .put("threads", threads());
  }
}
