import io.quicksilver.history.EventStore;
import io.quicksilver.history.InMemoryEventStore;
import io.quicksilver.history.RedisEventStore;
import io.quicksilver.history.Replay;
import io.quicksilver.mercure.Update;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Replays of a subscriber on one exact topic, `behind` updates of its topic back, in a full history spread over
 * `topics` topics: args (memory | redis URL) history topics replays behind. Uses readAfter(id, limit, topics) when the
 * store has it, else readAfter(id, limit) (then the subscriber filters what it gets).
 *
 * <p>Run with a hub jar on the class path (source-file mode), e.g. {@code java -cp target/quicksilver.jar bench/scripts/ReplayBench.java redis://127.0.0.1:6379 10000 100 2000 10 label   (or memory instead of the URL)}; with {@code -Dwarm=15000}
 * for a longer warm-up where it applies. See docs/BENCHMARKS.md, "Publish path and replays".
 */
public class ReplayBench {
  public static void main(String[] a) throws Exception {
    int history = Integer.parseInt(a[1]);
    int topics = Integer.parseInt(a[2]);
    int replays = Integer.parseInt(a[3]);
    int behind = Integer.parseInt(a[4]);
    Vertx vertx = Vertx.vertx();
    EventStore store;
    if (a[0].equals("memory")) {
      store = new InMemoryEventStore(history);
    } else {
      RedisEventStore redis = new RedisEventStore(vertx, a[0], "replay" + System.nanoTime(), history, Duration.ofSeconds(5));
      redis.start().toCompletionStage().toCompletableFuture().get();
      store = redis;
    }
    List<Future<EventStore.Appended>> adds = new ArrayList<>();
    for (int i = 0; i < history; i++) {
      adds.add(store.add(new Update(0, "u" + i, List.of("https://bench.example/t/" + (i % topics)), "payload of update " + i, false, null, null)));
      if (adds.size() == 256) {
        Future.all(adds).toCompletionStage().toCompletableFuture().get();
        adds.clear();
      }
    }
    Future.all(adds).toCompletionStage().toCompletableFuture().get();
    Method byTopic = null;
    try {
      byTopic = EventStore.class.getMethod("readAfter", String.class, int.class, Set.class);
    } catch (NoSuchMethodException e) {
      // an older store: every update after the cursor
    }
    long returned = 0;
    long t0 = System.nanoTime();
    for (int r = 0; r < replays; r++) {
      int topic = r % topics;
      int cursorIndex = history - 1 - topic - (behind) * topics; // the update `behind` of its topic before the head
      String cursor = "u" + (cursorIndex - cursorIndex % topics + topic);
      @SuppressWarnings("unchecked")
      Future<Replay> f = byTopic != null
          ? (Future<Replay>) byTopic.invoke(store, cursor, 2 * history, Set.of("https://bench.example/t/" + topic))
          : store.readAfter(cursor, 2 * history);
      returned += f.toCompletionStage().toCompletableFuture().get().updates().size();
    }
    long t1 = System.nanoTime();
    System.out.printf("%s %s history=%d topics=%d behind=%d byTopic=%s updatesPerReplay=%.1f usPerReplay=%.0f%n",
        a.length > 5 ? a[5] : "", a[0].startsWith("redis") ? "redis" : "memory", history, topics, behind, byTopic != null,
        returned / (double) replays, (t1 - t0) / 1e3 / replays);
    vertx.close();
    System.exit(0);
  }
}
