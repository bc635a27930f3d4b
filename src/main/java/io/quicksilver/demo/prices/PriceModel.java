package io.quicksilver.demo.prices;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulated prices: one geometric Brownian motion per symbol, seeded, so the same seed gives the same
 * series. Not thread-safe: owned by the simulator verticle.
 */
public final class PriceModel {

  /**
   * One tick of one symbol.
   *
   * @param open          the price when the simulated session opened (when the simulator started)
   * @param change        price − open
   * @param changePercent the change in percent of the open
   * @param timestamp     when the tick was made, in epoch milliseconds (just before it is published)
   */
  public record Tick(String symbol, double price, double open, double change, double changePercent, long timestamp, long sequence) {
  }

  private static final double SECONDS_PER_YEAR = 365.25 * 24 * 3600;

  private final Map<String, double[]> state = new LinkedHashMap<>(); // symbol -> {price, sequence, open}
  private final SplittableRandom random;
  private final double volatility;
  private final double drift;

  /**
   * @param symbols    the symbols, each starting at a price derived from the seed
   * @param volatility annualised volatility (0.4 = 40 %)
   * @param seed       the random seed
   */
  public PriceModel(List<String> symbols, double volatility, long seed) {
    this.random = new SplittableRandom(seed);
    this.volatility = volatility;
    this.drift = 0.05;
    for (String s : symbols) {
      double price = Math.round((50 + random.nextDouble() * 450) * 100) / 100.0;
      state.put(s, new double[] {price, 0, price});
    }
  }

  /** Continues a symbol from a known price, sequence and session open (after a take-over; open ≤ 0: the price). */
  public void resume(String symbol, double price, long sequence, double open) {
    double[] st = state.get(symbol);
    if (st != null && price > 0) {
      st[0] = price;
      st[1] = sequence;
      st[2] = open > 0 ? open : price;
    }
  }

  /**
   * Advances one symbol by {@code dtSeconds}: S' = S·exp((μ − σ²/2)·dt + σ·√dt·Z), with Z standard normal.
   * The simulation runs faster than real time (one tick stands for one trading minute), so prices move
   * visibly in a demo.
   */
  public Tick next(String symbol, long timestamp) {
    double[] st = state.get(symbol);
    double dt = 60 / SECONDS_PER_YEAR * 50;
    double z = gaussian();
    double previous = st[0];
    double price = previous * Math.exp((drift - volatility * volatility / 2) * dt + volatility * Math.sqrt(dt) * z);
    price = Math.round(price * 100) / 100.0;
    if (price < 0.01) {
      price = 0.01;
    }
    st[0] = price;
    st[1] += 1;
    double open = st[2];
    double change = Math.round((price - open) * 100) / 100.0;
    double changePercent = Math.round((price - open) / open * 10_000) / 100.0;
    return new Tick(symbol, price, open, change, changePercent, timestamp, (long) st[1]);
  }

  /** The symbol's current price. */
  public double price(String symbol) {
    return state.get(symbol)[0];
  }

  /** The symbols, in order. */
  public List<String> symbols() {
    return List.copyOf(state.keySet());
  }

  private double gaussian() {
    double u1 = random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
