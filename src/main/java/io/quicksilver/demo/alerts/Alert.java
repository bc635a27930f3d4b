package io.quicksilver.demo.alerts;

import io.vertx.core.json.JsonObject;

/**
 * "Tell me when SYMBOL goes above/below THRESHOLD": fires once, then is gone.
 *
 * @param id        the alert's id
 * @param userId    whose alert it is
 * @param symbol    the watched symbol
 * @param above     true: fires when the price is at or above the threshold; false: at or below
 * @param threshold the price
 */
public record Alert(String id, String userId, String symbol, boolean above, double threshold) {

  /** Whether a price fires this alert. */
  public boolean firedBy(double price) {
    return above ? price >= threshold : price <= threshold;
  }

  /** The JSON the alerts API answers with. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("symbol", symbol).put("direction", above ? "above" : "below").put("threshold", threshold);
  }

  /** The stored form (with the user). */
  JsonObject toStored() {
    return toJson().put("user", userId);
  }

  static Alert fromStored(JsonObject json) {
    return new Alert(json.getString("id"), json.getString("user"), json.getString("symbol"),
        "above".equals(json.getString("direction")), json.getDouble("threshold"));
  }
}
