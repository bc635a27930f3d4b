package io.quicksilver.bench;

import io.vertx.core.json.JsonObject;

/**
 * The subscribers of a run, in this process ({@link LocalFleet}) or in child processes
 * ({@link ChildFleet}). Commands and answers are JSON (see {@link SubscriberFleet#handle}); calls block.
 */
public interface Fleet extends AutoCloseable {

  /**
   * Sends a command to every part of the fleet and merges the answers; fails when a part has not answered
   * within {@link #boundSeconds}.
   */
  JsonObject call(JsonObject cmd);

  /**
   * How long a part holding {@code subscribers} subscribers may take to answer {@code cmd} before the run
   * counts as stuck: the command's own timeout, or for {@code connect} the ramp at its rate with every
   * batch of {@code maxConnecting} taking the longest an opening may take
   * ({@link SubscriberFleet#OPEN_BOUND_SECONDS}); plus a margin.
   */
  static long boundSeconds(JsonObject cmd, int subscribers) {
    long margin = 30;
    switch (cmd.getString("cmd")) {
      case "connect": {
        double rate = cmd.getDouble("rate", 0.0);
        long ramp = rate > 0 ? (long) Math.ceil(subscribers / rate) : 0;
        int maxConnecting = Math.max(1, cmd.getInteger("maxConnecting", 256));
        long batches = (subscribers + maxConnecting - 1) / maxConnecting;
        return ramp + batches * SubscriberFleet.OPEN_BOUND_SECONDS + margin;
      }
      case "await":
      case "reconnect":
        return cmd.getLong("timeoutMs", 60_000L) / 1000 + margin;
      default: // status, report, drop, close
        return Main.CLOSE_BOUND_SECONDS + margin;
    }
  }

  /** Whether the fleet's CPU time is already counted in this process's CPU. */
  boolean inProcess();

  @Override
  void close();
}
