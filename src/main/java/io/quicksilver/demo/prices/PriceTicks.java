package io.quicksilver.demo.prices;

import io.quicksilver.config.HubConfig;
import io.quicksilver.mercure.Update;
import io.vertx.core.json.JsonObject;

/**
 * The updates the simulator publishes, written and read back in one place: {@code event: stock_update} on
 * {@code <publicUrl>/stocks/<SYMBOL>}, with the tick as JSON data. The simulator reads them on take-over, the alerts
 * watcher and the charts as they come.
 */
public final class PriceTicks {

  /** The SSE event type of price updates. */
  public static final String EVENT_TYPE = "stock_update";

  private PriceTicks() {
  }

  /** The topic of a symbol. */
  public static String topic(HubConfig.Demo demo, String symbol) {
    return demo.publicUrl() + "/stocks/" + symbol;
  }

  /** The data of a tick's update. */
  static JsonObject toJson(PriceModel.Tick t) {
    return new JsonObject()
        .put("symbol", t.symbol()).put("price", t.price()).put("open", t.open()).put("change", t.change())
        .put("changePercent", t.changePercent()).put("timestamp", t.timestamp()).put("sequence", t.sequence());
  }

  /**
   * The tick an update carries: its event type is {@value #EVENT_TYPE}, its data has a symbol and a numeric price,
   * and its topic is that symbol's; else null.
   */
  public static JsonObject read(HubConfig.Demo demo, Update update) {
    JsonObject tick = EVENT_TYPE.equals(update.type()) ? parse(update.data()) : null;
    return tick != null && update.canonicalTopic().equals(topic(demo, tick.getString("symbol"))) ? tick : null;
  }

  /** Parses a price update's data, or null when it is not one. */
  private static JsonObject parse(String data) {
    try {
      JsonObject json = new JsonObject(data);
      return json.containsKey("symbol") && json.getValue("price") instanceof Number ? json : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
