import io.quicksilver.history.RedisEventStore;
import io.quicksilver.mercure.Update;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Closed-loop appends against Redis: args url seconds concurrency redisPid label. *
 * <p>Run with a hub jar on the class path (source-file mode), e.g. {@code java -cp target/quicksilver.jar bench/scripts/StoreBench.java redis://127.0.0.1:6379 10 32 $(pidof redis-server) label}; with {@code -Dwarm=15000}
 * for a longer warm-up where it applies. See docs/BENCHMARKS.md, "Publish path and replays".
 */
public class StoreBench {
  static final AtomicLong done = new AtomicLong();
  static final AtomicLong failed = new AtomicLong();
  static final AtomicBoolean running = new AtomicBoolean(true);
  static RedisEventStore store;

  static void next(long i) {
    if (!running.get()) {
      return;
    }
    Update u = new Update(0, "urn:uuid:" + UUID.randomUUID(), List.of("https://bench.example/topics/" + (i % 1000)),
        "qsb payload " + i, false, null, null);
    store.add(u).onComplete(ar -> {
      if (ar.succeeded()) {
        done.incrementAndGet();
      } else {
        failed.incrementAndGet();
      }
      next(i + 7);
    });
  }

  static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static long redisCpuTicks(String pid) throws Exception {
    String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  public static void main(String[] a) throws Exception {
    String url = a[0];
    int seconds = Integer.parseInt(a[1]);
    int concurrency = Integer.parseInt(a[2]);
    String redisPid = a[3];
    Vertx vertx = Vertx.vertx();
    store = new RedisEventStore(vertx, url, "bench" + System.nanoTime(), 10_000, Duration.ofSeconds(2));
    store.start().toCompletionStage().toCompletableFuture().get();
    for (int c = 0; c < concurrency; c++) {
      next(c);
    }
    Thread.sleep(Long.getLong("warm", 8000)); // warm-up
    long d0 = done.get(), c0 = cpu(), r0 = redisCpuTicks(redisPid), t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long d1 = done.get(), c1 = cpu(), r1 = redisCpuTicks(redisPid), t1 = System.nanoTime();
    running.set(false);
    double wall = (t1 - t0) / 1e9;
    long n = d1 - d0;
    System.out.printf("%s concurrency=%d appends/s=%.0f jvmCpuUsPerAppend=%.1f redisCpuUsPerAppend=%.1f failed=%d load=%s%n",
        a[4], concurrency, n / wall, (c1 - c0) / 1e3 / n, (r1 - r0) * 10_000.0 / n, failed.get(),
        Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    Thread.sleep(500);
    vertx.close();
    System.exit(0);
  }
}
