package io.quicksilver.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a hub's resources from /proc, over the hub process and all its descendants (a JVM hub is one
 * process; nginx is a master and its workers): CPU seconds (utime + stime of /proc/PID/stat over the clock
 * tick rate), resident memory (VmRSS of /proc/PID/status), proportional memory (Pss of
 * /proc/PID/smaps_rollup: pages shared between the processes, such as nchan's shared memory zone, counted
 * once in all instead of once per process), open files, threads; and, for a JVM hub, the heap in use right
 * after a full GC ({@code jcmd PID GC.run}, then {@code GC.heap_info}). Every value is -1 when unavailable
 * (no pid, another machine, not a JVM).
 *
 * <p>The tree is read anew at each call, so workers that start later are counted; the CPU of a descendant
 * that exited during a measured window is lost (nginx replaces workers only on reload or crash).
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

  /** The fields of /proc/PID/stat after {@code pid (comm) }: f[0] is field 3 (state), f[1] the parent. */
  private static String[] stat(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  /** utime + stime of one process, in seconds; -1 if unreadable. */
  public static double cpuSeconds(long pid) {
    try {
      String[] f = stat(pid);
      // utime is field 14, stime field 15
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** {@code root} and every process below it (breadth first); empty if {@code root} does not exist. */
  public static List<Long> tree(long root) {
    List<Long> out = new ArrayList<>();
    if (root <= 0 || !Files.isDirectory(Path.of("/proc/" + root))) {
      return out;
    }
    Map<Long, List<Long>> children = new HashMap<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        try {
          long child = Long.parseLong(p.getFileName().toString());
          long parent = Long.parseLong(stat(child)[1]);
          children.computeIfAbsent(parent, k -> new ArrayList<>()).add(child);
        } catch (IOException | RuntimeException e) {
          // exited meanwhile, or not a process
        }
      }
    } catch (IOException e) {
      // no /proc: the root alone
    }
    out.add(root);
    for (int i = 0; i < out.size(); i++) {
      out.addAll(children.getOrDefault(out.get(i), List.of()));
    }
    return out;
  }

  /** CPU seconds of the hub and its descendants; -1 if the hub is unreadable. */
  public double cpuSeconds() {
    if (pid <= 0) {
      return -1;
    }
    double total = 0;
    boolean any = false;
    for (long p : tree(pid)) {
      double s = cpuSeconds(p);
      if (s >= 0) {
        total += s;
        any = true;
      }
    }
    return any ? total : -1;
  }

  /** How many processes the hub has (itself and its descendants). */
  public int processes() {
    return tree(pid).size();
  }

  /** VmRSS in bytes, summed over the tree; -1 if unreadable. */
  public long rssBytes() {
    long kb = sum("status", "VmRSS:");
    return kb < 0 ? -1 : kb * 1024;
  }

  /** Pss in bytes, summed over the tree; -1 if unreadable (smaps_rollup needs Linux 4.14). */
  public long pssBytes() {
    long kb = sum("smaps_rollup", "Pss:");
    return kb < 0 ? -1 : kb * 1024;
  }

  public long threads() {
    return sum("status", "Threads:");
  }

  public long openFiles() {
    long total = -1;
    for (long p : tree(pid)) {
      try (var s = Files.list(Path.of("/proc/" + p + "/fd"))) {
        total = Math.max(total, 0) + s.count();
      } catch (IOException | RuntimeException e) {
        // exited, or not ours to read
      }
    }
    return total;
  }

  /** A {@code name: value ...} field of /proc/PID/{@code file}, summed over the tree; -1 if none read. */
  private long sum(String file, String name) {
    long total = -1;
    for (long p : tree(pid)) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + p + "/" + file))) {
          if (line.startsWith(name)) {
            total = Math.max(total, 0) + Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        // exited, or not ours to read
      }
    }
    return total;
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

  /** One snapshot: heap after a full GC (if enabled), then cpu, rss, pss, files, threads, processes. */
  public JsonObject snapshot(boolean withHeap) {
    // The full GC first (when asked), so that RSS is read in the same post-GC state every time.
    long heapAfterGc = withHeap ? heapAfterGcBytes() : -1;
    return new JsonObject()
        .put("cpuSeconds", cpuSeconds())
        .put("rssBytes", rssBytes())
        .put("pssBytes", pssBytes())
        .put("heapAfterGcBytes", heapAfterGc)
        .put("openFiles", openFiles())
        .put("threads", threads())
        .put("processes", processes());
  }
}
