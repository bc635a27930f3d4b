package io.quicksilver.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * Runs a handler on one Vert.x context every {@code periodMs} until it calls the stop action it is
 * given. (Vert.x 5.0.7's {@code cancelTimer} from inside a periodic timer's very first run can throw a
 * NullPointerException when the timer was set from a non-Vert.x thread; chained one-shot timers avoid it.)
 */
final class Ticker {

  private Ticker() {
  }

  static void every(Vertx vertx, long periodMs, Consumer<Runnable> handler) {
    Context context = vertx.getOrCreateContext();
    boolean[] stopped = {false};
    Runnable stop = () -> stopped[0] = true;
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> {
      handler.accept(stop);
      if (!stopped[0]) {
        vertx.setTimer(Math.max(1, periodMs), id -> loop[0].run());
      }
    };
    context.runOnContext(v -> loop[0].run());
  }
}
