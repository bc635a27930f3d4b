package io.quicksilver.bench;

import io.vertx.core.json.JsonObject;

/**
 * The subscribers of a run, in this process ({@link LocalFleet}) or in child processes
 * ({@link ChildFleet}). Commands and answers are JSON (see {@link SubscriberFleet#handle}); calls block.
 */
public interface Fleet extends AutoCloseable {

  /** Sends a command to every part of the fleet and merges the answers. */
  JsonObject call(JsonObject cmd);

  /** Whether the fleet's CPU time is already counted in this process's CPU. */
  boolean inProcess();

  @Override
  void close();
}
