/** The demo's simulated stock prices, published through the hub's publish path, and how their updates read. */
package io.quicksilver.demo.prices;
